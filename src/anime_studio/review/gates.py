"""Locked cuts: which steps need approved versions, what an episode contains, and what is not approved yet."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.episodes.models import Episode
from anime_studio.review.models import ReviewSettings, ReviewState, Version
from anime_studio.review.versions import current_of
from anime_studio.scenes.models import Scene, Shot


async def gate(*, session: AsyncSession, project_id: int) -> str:
    """off, publish (the default: publishing needs approved versions) or assembly (assembling does too)."""
    row = await session.get(ReviewSettings, project_id)
    return row.gate if row is not None else "publish"


async def set_gate(*, session: AsyncSession, project_id: int, value: str) -> str:
    row = await session.get(ReviewSettings, project_id)
    if row is None:
        row = ReviewSettings(project_id=project_id)
        session.add(row)
    row.gate = value
    await session.flush()
    return value


async def contents(*, session: AsyncSession, scene_ids: list[int]) -> list[dict[str, Any]]:
    """The current version of each scene and the shot versions that scene version was cut from."""
    scenes = await current_of(session=session, subject_type="scene", ids=scene_ids)
    for entry in scenes:
        version = await session.get(Version, entry["version_id"])
        entry["shots"] = version.provenance.get("shot_versions", []) if version is not None else []
        entry["fps"] = version.fps if version is not None else None
    return scenes


def _approved(state: ReviewState | None) -> bool:
    return state is not None and state.status == "approved" and state.approved_version_id == state.current_version_id


def _why(state: ReviewState | None) -> str:
    if state is None or state.current_version_id is None:
        return "no version yet"
    if state.status == "retake":
        return f"retake requested ({state.reason})" if state.reason else "retake requested"
    return state.status.replace("_", " ")


async def unapproved(*, session: AsyncSession, scenes: list[Scene]) -> list[str]:
    """One line per scene or shot whose current version is not approved."""
    shots = list(
        (
            await session.scalars(
                select(Shot).where(Shot.scene_id.in_([s.id for s in scenes])).order_by(Shot.scene_id, Shot.position)
            )
        ).all()
    )
    states = {
        (s.subject_type, s.subject_id): s
        for s in (
            await session.scalars(
                select(ReviewState).where(
                    ((ReviewState.subject_type == "scene") & ReviewState.subject_id.in_([s.id for s in scenes]))
                    | ((ReviewState.subject_type == "shot") & ReviewState.subject_id.in_([s.id for s in shots]))
                )
            )
        ).all()
    }
    lines = []
    for scene in scenes:
        name = f"scene {scene.scene_number} ({scene.title})"
        covered = await _cut_of_approved(session, states.get(("scene", scene.id)))
        for shot in (s for s in shots if s.scene_id == scene.id):
            state = states.get(("shot", shot.id))
            if _approved(state) or (
                state is not None and state.status != "retake" and state.current_version_id in covered
            ):
                continue
            lines.append(f"{name} shot {shot.position}: {_why(state)}")
        if not _approved(state := states.get(("scene", scene.id))):
            lines.append(f"{name}: {_why(state)}")
    return lines


async def _cut_of_approved(session: AsyncSession, state: ReviewState | None) -> set[int]:
    """Shot versions an approved scene version was cut from: approving the cut approves them (unless retaken)."""
    if not _approved(state) or state is None or state.current_version_id is None:
        return set()
    version = await session.get(Version, state.current_version_id)
    return {int(s["version_id"]) for s in version.provenance.get("shot_versions", [])} if version else set()


async def problems(*, session: AsyncSession, episode: Episode, scenes: list[Scene], kind: str) -> list[str]:
    """Why the project's review gate refuses ``kind`` (episode.assemble / episode.publish) now."""
    setting = await gate(session=session, project_id=episode.project_id)
    step = kind.removeprefix("episode.")
    if setting == "off" or (step == "assemble" and setting != "assembly"):
        return []
    lines = [f"not approved: {line}" for line in await unapproved(session=session, scenes=scenes)]
    if step == "publish" and not lines:
        lines = await _stale_cut(session, episode, scenes)
    return lines


async def _stale_cut(session: AsyncSession, episode: Episode, scenes: list[Scene]) -> list[str]:
    """The assembled file must hold the approved scene versions (a restore may have moved a pointer since)."""
    state = await session.scalar(
        select(ReviewState).where(ReviewState.subject_type == "episode", ReviewState.subject_id == episode.id)
    )
    version = await session.get(Version, state.current_version_id) if state and state.current_version_id else None
    if version is None:
        return []  # nothing assembled yet: the publish run reports that itself
    held = {e["scene_id"]: e["version_id"] for e in version.provenance.get("contents", [])}
    now = await current_of(session=session, subject_type="scene", ids=[s.id for s in scenes])
    if [held.get(e["scene_id"]) for e in now] != [e["version_id"] for e in now]:
        return [f"episode version {version.number} holds other scene versions than the approved ones: assemble again"]
    return []


async def cut_of(*, session: AsyncSession, episode: Episode) -> list[str]:
    """What the episode's current file is cut from, one line per scene version (for the NFO/provenance)."""
    state = await session.scalar(
        select(ReviewState).where(ReviewState.subject_type == "episode", ReviewState.subject_id == episode.id)
    )
    version = await session.get(Version, state.current_version_id) if state and state.current_version_id else None
    if version is None:
        return []
    lines = [f"episode {episode.id} version {version.number}"]
    for entry in version.provenance.get("contents", []):
        shots = ", ".join(f"shot {s['shot_id']} v{s['number']}" for s in entry.get("shots", []))
        lines.append(f"scene {entry['scene_id']} version {entry['number']}: {shots}")
    return lines
