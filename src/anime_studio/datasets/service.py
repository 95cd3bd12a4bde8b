"""Dataset images of characters: register, review (auto-triage), approve/reject, reference images."""

from __future__ import annotations

import asyncio
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters.models import Character
from anime_studio.datasets import files
from anime_studio.datasets.review import decide
from anime_studio.engines.vision.base import ReviewScores
from anime_studio.errors import Invalid, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.media import images
from anime_studio.media.files import create_unique
from anime_studio.media.paths import MediaPaths
from anime_studio.media.uploads import client_name
from anime_studio.projects.models import Project
from anime_studio.quality.service import Gates

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}


async def add_image(
    *,
    session: AsyncSession,
    paths: MediaPaths,
    character: Character,
    file: Path,
    caption: str,
    provenance: dict[str, Any],
    run_id: int | None = None,
) -> Asset:
    """Register a new dataset image as pending, with its caption and provenance beside it."""
    files.write_sidecars(file, caption=caption, provenance=provenance)
    width, height = images.size_of(file)
    asset = await assets.record(
        session=session,
        paths=paths,
        file=file,
        project_id=character.project_id,
        kind=AssetKind.image,
        status=AssetStatus.pending,
        width=width,
        height=height,
        character_id=character.id,
        run_id=run_id,
        provenance=provenance,
    )
    emit(session, names.GENERATION_COMPLETED, {"asset_id": asset.id, "character_id": character.id})
    return asset


async def apply_review(
    *, session: AsyncSession, asset: Asset, scores: ReviewScores, is_human: bool, species: str, gates: Gates
) -> AssetStatus:
    """Store the vision review and apply the auto-triage rules, recording which engine decided and why."""
    decisions = list(asset.review.get("decisions", []))
    asset.review = {**scores.model_dump(), "decisions": decisions}
    asset.quality_score = scores.quality_score
    decision = decide(scores=scores, is_human=is_human, species=species, gates=gates)
    _set_status(
        session, asset, decision.status, reviewer=None, by=f"auto-triage ({scores.engine})", reason=decision.reason
    )
    await session.flush()
    return decision.status


def _set_status(
    session: AsyncSession, asset: Asset, status: AssetStatus, *, reviewer: int | None, by: str, reason: str
) -> None:
    """Change the status and append the decision (who or what, why, from which status) to the review."""
    entry = {
        "status": status.value,
        "previous": asset.status.value if asset.status else None,
        "by": by,
        "user_id": reviewer,
        "reason": reason,
        "at": datetime.now(UTC).isoformat(),
    }
    asset.review = {**(asset.review or {}), "decisions": [*(asset.review or {}).get("decisions", []), entry][-50:]}
    asset.status, asset.reviewed_by, asset.reviewed_at = status, reviewer, datetime.now(UTC)
    asset.feedback = reason
    data = {"asset_id": asset.id, "character_id": asset.character_id, "by": by, "reason": reason}
    if status == AssetStatus.approved:
        emit(session, names.IMAGE_APPROVED, data)
    elif status == AssetStatus.rejected:
        emit(session, names.IMAGE_REJECTED, data)
    if reviewer is not None and reason:
        emit(session, names.FEEDBACK_RECORDED, {**data, "status": status.value})


async def judge(
    *,
    session: AsyncSession,
    asset_ids: list[int],
    status: AssetStatus,
    reviewer: int,
    by: str,
    reason: str,
    character_id: int | None = None,
) -> list[Asset]:
    """A person approves, rejects or (undo) returns dataset images to pending."""
    if status == AssetStatus.ready:
        raise Invalid("dataset images are pending, approved or rejected")
    rows = list((await session.scalars(select(Asset).where(Asset.id.in_(asset_ids)).order_by(Asset.id))).all())
    missing = set(asset_ids) - {a.id for a in rows}
    if missing:
        raise NotFound(f"images not found: {sorted(missing)}")
    if any(a.kind != AssetKind.image for a in rows):
        raise Invalid("only dataset images can be approved or rejected")
    if character_id is not None and any(a.character_id != character_id for a in rows):
        raise Invalid("every image must belong to this character")
    for asset in rows:
        _set_status(session, asset, status, reviewer=reviewer, by=by, reason=reason)
    await session.flush()
    return rows


async def sync_approval_file(*, session: AsyncSession, paths: MediaPaths, character: Character) -> None:
    """Mirror the character's image statuses into ``approval_status.json`` (for trainers and humans)."""
    project = await session.get(Project, character.project_id)
    if project is None:
        return
    rows = await session.execute(
        select(Asset.path, Asset.status).where(Asset.character_id == character.id, Asset.kind == AssetKind.image)
    )
    statuses = {Path(path).name: status.value for path, status in rows.all()}
    folder = paths.dataset_images(project.slug, character.slug)
    await asyncio.to_thread(files.write_approval_status, folder.parent, statuses)


async def pending(
    *, session: AsyncSession, project_id: int | None, character_id: int | None, limit: int
) -> list[Asset]:
    query = select(Asset).where(Asset.kind == AssetKind.image, Asset.status == AssetStatus.pending)
    if project_id is not None:
        query = query.where(Asset.project_id == project_id)
    if character_id is not None:
        query = query.where(Asset.character_id == character_id)
    return list((await session.scalars(query.order_by(Asset.created_at.desc()).limit(limit))).all())


async def approved_images(*, session: AsyncSession, project_id: int) -> list[Asset]:
    """Approved dataset images of a project's characters (the scene builder's source-image picker)."""
    query = (
        select(Asset)
        .where(Asset.project_id == project_id, Asset.kind == AssetKind.image, Asset.status == AssetStatus.approved)
        .order_by(Asset.character_id, Asset.created_at.desc())
    )
    return list((await session.scalars(query)).all())


# Reference images (IP-Adapter conditioning): plain files in datasets/{project}/{character}/reference_images/.


def reference_dir(paths: MediaPaths, project: Project, character: Character) -> Path:
    return paths.reference_images(project.slug, character.slug)


def list_references(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())


def _safe_stem(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:60]
    return stem or "reference"


def save_reference(folder: Path, *, filename: str, data: bytes) -> Path:
    """Validate an uploaded image and store it as PNG under a safe, unique name."""
    # ImageTooLarge/UnreadableImage name only the upload; the API answers them with 413/422.
    picture = images.decoded(data, name=client_name(filename, default="the upload"))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return create_unique(folder, _safe_stem(filename), ".png", buffer.getvalue())


def reference_file(folder: Path, name: str) -> Path:
    """The reference image called ``name`` directly inside ``folder`` (never a path outside it)."""
    target = (folder / name).resolve()
    if target.parent != folder.resolve() or not target.is_file():
        raise NotFound(f"reference image {name!r} not found")
    return target


def delete_reference(folder: Path, name: str) -> None:
    reference_file(folder, name).unlink()
