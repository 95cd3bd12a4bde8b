"""Restoring a version writes its files back into the subject's own row, where the pipelines read them."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.episodes.models import Episode
from anime_studio.errors import NotFound
from anime_studio.media.paths import MediaPaths
from anime_studio.review.models import Version
from anime_studio.scenes.models import Scene, Shot


async def apply(*, session: AsyncSession, paths: MediaPaths, version: Version) -> None:
    """Point the shot, scene or episode at ``version``'s files (they must still be on disk)."""
    if not paths.inside(version.path).is_file():
        raise NotFound(f"the file of version {version.number} is missing")
    saved: dict[str, Any] = version.provenance.get("restore", {})
    if version.subject_type == "shot":
        shot = await _row(session, Shot, version)
        # updated_at moves with this write: scene videos made before it count as out of date (video_problem)
        shot.output_path = version.path
        shot.last_frame_path = version.companions.get("last_frame", shot.last_frame_path)
        shot.status = saved.get("status", "completed")
        shot.quality_score, shot.seed = saved.get("quality_score"), version.seed
    elif version.subject_type == "scene":
        scene = await _row(session, Scene, version)
        scene.output_path, scene.duration = version.path, version.duration
        scene.subtitles_path = version.companions.get("subtitles", scene.subtitles_path)
        # the restored cut's shot list and run: video_problem compares today's shots with these
        scene.generation = {**scene.generation, **saved.get("generation", {})}
    else:
        episode = await _row(session, Episode, version)
        episode.output_path, episode.duration = version.path, version.duration
        episode.status = "assembled"
    await session.flush()


async def _row(session: AsyncSession, model: type[Any], version: Version) -> Any:
    row = await session.get(model, version.subject_id)
    if row is None:
        raise NotFound(f"{version.subject_type} {version.subject_id} no longer exists")
    return row


async def project_of(*, session: AsyncSession, subject_type: str, subject_id: int) -> int:
    """The project a shot, scene or episode belongs to (404 if it does not exist)."""
    owner: Scene | Episode | None
    if subject_type == "shot":
        shot = await session.get(Shot, subject_id)
        owner = await session.get(Scene, shot.scene_id) if shot is not None else None
    elif subject_type == "scene":
        owner = await session.get(Scene, subject_id)
    else:
        owner = await session.get(Episode, subject_id)
    if owner is None:
        raise NotFound(f"{subject_type} {subject_id} not found")
    return owner.project_id


async def shot(*, session: AsyncSession, shot_id: int) -> Shot:
    row = await session.get(Shot, shot_id)
    if row is None:
        raise NotFound(f"shot {shot_id} not found")
    return row
