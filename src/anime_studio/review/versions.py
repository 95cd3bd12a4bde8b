"""Numbered versions: record a new one where a shot, scene or episode video is written; restore; purge; storage."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.errors import Conflict, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.models import Run
from anime_studio.media.paths import MediaPaths, safe_segment
from anime_studio.projects.models import Project
from anime_studio.review import pointers
from anime_studio.review.models import ReviewState, StatusChange, Version

SIDECARS = (".srt", ".vtt")


@dataclass(frozen=True)
class Made:
    """What a generation produced and how (the hook's argument)."""

    subject_type: str
    subject_id: int
    project_id: int
    file: Path
    run_id: int | None
    companions: dict[str, Path]
    provenance: dict[str, Any]
    engine: str = ""
    seed: int | None = None
    duration: float | None = None
    fps: float | None = None


async def state_for(*, session: AsyncSession, subject_type: str, subject_id: int, project_id: int) -> ReviewState:
    """The subject's review state, created on first use and locked for this transaction."""
    await session.execute(
        insert(ReviewState)
        .values(project_id=project_id, subject_type=subject_type, subject_id=subject_id)
        .on_conflict_do_nothing(index_elements=["subject_type", "subject_id"])
    )
    state = await session.scalar(
        select(ReviewState)
        .where(ReviewState.subject_type == subject_type, ReviewState.subject_id == subject_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    assert state is not None
    return state


def version_dir(paths: MediaPaths, slug: str, subject_type: str, subject_id: int) -> Path:
    return paths.root / "output" / "versions" / safe_segment(slug) / f"{subject_type}_{subject_id}"


async def record(*, session: AsyncSession, paths: MediaPaths, made: Made) -> Version:
    """Move the new file to its version-numbered path, number it and point the subject at it (in review)."""
    state = await state_for(
        session=session, subject_type=made.subject_type, subject_id=made.subject_id, project_id=made.project_id
    )
    last = await session.scalar(
        select(func.max(Version.number)).where(
            Version.subject_type == made.subject_type, Version.subject_id == made.subject_id
        )
    )
    number = (last or 0) + 1
    slug = await session.scalar(select(Project.slug).where(Project.id == made.project_id))
    folder = version_dir(paths, slug or "project", made.subject_type, made.subject_id)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"v{number:03d}{made.file.suffix}"
    made.file.replace(target)
    companions = {}
    for role, source in made.companions.items():
        if source.is_file():  # companions are small and may be shared (subtitles): copied, not moved
            # subtitles sit beside the video under the same stem: players and the publisher look for them there
            sidecar = source.suffix.lower() in SIDECARS
            stem = f"v{number:03d}" if sidecar else f"v{number:03d}_{safe_segment(role)}"
            copy = folder / f"{stem}{source.suffix}"
            shutil.copy2(source, copy)
            companions[role] = paths.relative(copy)
    starter = await session.scalar(select(Run.created_by).where(Run.id == made.run_id)) if made.run_id else None
    version = Version(
        project_id=made.project_id,
        subject_type=made.subject_type,
        subject_id=made.subject_id,
        number=number,
        path=paths.relative(target),
        companions=companions,
        size_bytes=target.stat().st_size + sum(paths.inside(p).stat().st_size for p in companions.values()),
        duration=made.duration,
        fps=made.fps,
        engine=made.engine,
        seed=made.seed,
        lora_version=_lora_version(made.provenance),
        provenance=made.provenance,
        run_id=made.run_id,
        created_by=starter,
    )
    session.add(version)
    await session.flush()
    await point(session=session, state=state, version=version, user_id=starter, reason=f"version {number} generated")
    return version


def _lora_version(provenance: dict[str, Any]) -> str | None:
    value = provenance.get("lora_version") or provenance.get("parameters", {}).get("lora_version")
    if not value and provenance.get("loras"):
        value = ", ".join(str(entry.get("name", "")) for entry in provenance["loras"] if isinstance(entry, dict))
    return str(value)[:200] if value else None


async def point(
    *, session: AsyncSession, state: ReviewState, version: Version, user_id: int | None, reason: str
) -> None:
    """Move the subject's pointer to ``version``; a new or restored picture needs a fresh review."""
    state.current_version_id = version.id
    state.status, state.reason, state.changed_by = "in_review", reason, user_id
    state.changed_at = datetime.now(UTC)
    change = StatusChange(state_id=state.id, version_id=version.id, status="in_review", reason=reason, user_id=user_id)
    session.add(change)
    await session.flush()
    emit(session, names.REVIEW_UPDATED, _event(state, version))


def _event(state: ReviewState, version: Version) -> dict[str, Any]:
    return {
        "subject_type": state.subject_type,
        "subject_id": state.subject_id,
        "project_id": state.project_id,
        "status": state.status,
        "version_id": version.id,
        "number": version.number,
    }


async def get(*, session: AsyncSession, version_id: int) -> Version:
    version = await session.get(Version, version_id)
    if version is None:
        raise NotFound(f"version {version_id} not found")
    return version


async def list_for(*, session: AsyncSession, subject_type: str, subject_id: int) -> list[Version]:
    rows = await session.scalars(
        select(Version)
        .where(Version.subject_type == subject_type, Version.subject_id == subject_id)
        .order_by(Version.number)
    )
    return list(rows.all())


async def restore(*, session: AsyncSession, paths: MediaPaths, version: Version, user_id: int) -> ReviewState:
    """Point the subject at an older version again (its files are untouched; nothing is overwritten)."""
    if version.purged_at is not None:
        raise Conflict(f"version {version.number} was purged; its files are gone")
    state = await state_for(
        session=session, subject_type=version.subject_type, subject_id=version.subject_id, project_id=version.project_id
    )
    await pointers.apply(session=session, paths=paths, version=version)
    reason = f"restored version {version.number}"
    await point(session=session, state=state, version=version, user_id=user_id, reason=reason)
    return state


async def _protected(session: AsyncSession, project_id: int) -> set[int]:
    """Versions that purging must keep: every subject's current one and any version ever approved."""
    current = await session.scalars(
        select(ReviewState.current_version_id).where(
            ReviewState.project_id == project_id, ReviewState.current_version_id.is_not(None)
        )
    )
    approved = await session.scalars(
        select(StatusChange.version_id)
        .join(ReviewState, ReviewState.id == StatusChange.state_id)
        .where(ReviewState.project_id == project_id, StatusChange.status == "approved")
    )
    return {v for v in [*current.all(), *approved.all()] if v is not None}


async def purgeable(*, session: AsyncSession, project_id: int) -> list[Version]:
    keep = await _protected(session, project_id)
    rows = await session.scalars(
        select(Version).where(Version.project_id == project_id, Version.purged_at.is_(None)).order_by(Version.id)
    )
    return [v for v in rows.all() if v.id not in keep]


async def purge(*, session: AsyncSession, paths: MediaPaths, project_id: int) -> tuple[int, int]:
    """Delete the files of old unapproved versions (rows stay, marked purged, for history); (count, bytes)."""
    doomed = await purgeable(session=session, project_id=project_id)
    freed = 0
    for version in doomed:
        for relative in [version.path, *version.companions.values()]:
            file = paths.inside(relative)  # refuses anything outside the media root
            if file.is_file():
                freed += file.stat().st_size
                file.unlink()
        version.purged_at = datetime.now(UTC)
    await session.flush()
    return len(doomed), freed


async def storage(*, session: AsyncSession, project_id: int) -> dict[str, Any]:
    """Bytes the project's live versions take, per subject type, and how much a purge would free."""
    rows = await session.execute(
        select(Version.subject_type, func.count(), func.coalesce(func.sum(Version.size_bytes), 0))
        .where(Version.project_id == project_id, Version.purged_at.is_(None))
        .group_by(Version.subject_type)
    )
    by_type = {kind: {"versions": count, "bytes": int(total)} for kind, count, total in rows.all()}
    doomed = await purgeable(session=session, project_id=project_id)
    return {
        "project_id": project_id,
        "total_bytes": sum(v["bytes"] for v in by_type.values()),
        "by_type": by_type,
        "purgeable_versions": len(doomed),
        "purgeable_bytes": sum(v.size_bytes for v in doomed),
    }


async def current_of(*, session: AsyncSession, subject_type: str = "shot", ids: list[int]) -> list[dict[str, Any]]:
    """The current version of each subject, in the order given (what a cut made now contains)."""
    rows = await session.execute(
        select(ReviewState.subject_id, Version.id, Version.number)
        .join(Version, Version.id == ReviewState.current_version_id)
        .where(ReviewState.subject_type == subject_type, ReviewState.subject_id.in_(ids))
    )
    found = {subject: (version_id, number) for subject, version_id, number in rows.all()}
    return [{f"{subject_type}_id": i, "version_id": found[i][0], "number": found[i][1]} for i in ids if i in found]
