"""Scenes and shots: CRUD with validation against the project (characters, images), ordering."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.characters.models import Character
from anime_studio.db import ordering
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.media.paths import MediaPaths
from anime_studio.projects import service as projects
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.schemas import SceneCreate, SceneUpdate, ShotCreate, ShotFields, ShotUpdate

DONE_SHOT_STATES = ("completed", "low_quality")


def finished_count(shots: Sequence[Shot]) -> int:
    """How many of ``shots`` have a usable clip (completed, or kept below the gate as low quality)."""
    return sum(1 for shot in shots if shot.status in DONE_SHOT_STATES)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp")


async def get(*, session: AsyncSession, scene_id: int) -> Scene:
    scene = await session.get(Scene, scene_id)
    if scene is None:
        raise NotFound(f"scene {scene_id} not found")
    return scene


async def shots_of(*, session: AsyncSession, scene_id: int) -> list[Shot]:
    rows = await session.scalars(select(Shot).where(Shot.scene_id == scene_id).order_by(Shot.position))
    return list(rows.all())


async def get_shot(*, session: AsyncSession, scene_id: int, shot_id: int) -> Shot:
    shot = await session.get(Shot, shot_id)
    if shot is None or shot.scene_id != scene_id:
        raise NotFound(f"shot {shot_id} not found in scene {scene_id}")
    return shot


async def shot_counts(*, session: AsyncSession, scene_ids: list[int]) -> dict[int, tuple[int, int]]:
    """scene id → (total shots, finished shots)."""
    if not scene_ids:
        return {}
    done = func.count().filter(Shot.status.in_(DONE_SHOT_STATES))
    rows = await session.execute(
        select(Shot.scene_id, func.count(), done).where(Shot.scene_id.in_(scene_ids)).group_by(Shot.scene_id)
    )
    return {scene_id: (total, finished) for scene_id, total, finished in rows.all()}


async def list_for_project(*, session: AsyncSession, project_id: int) -> list[Scene]:
    await projects.get(session=session, project_id=project_id)
    rows = await session.scalars(
        select(Scene).where(Scene.project_id == project_id).order_by(Scene.scene_number, Scene.id)
    )
    return list(rows.all())


async def create(*, session: AsyncSession, data: SceneCreate) -> Scene:
    """Create a scene at the end of the project's scene list."""
    await projects.get(session=session, project_id=data.project_id)
    number = await ordering.next_number(
        session, parent_key=Scene.project_id, column=Scene.scene_number, parent_id=data.project_id
    )
    scene = Scene(**data.model_dump(exclude_none=True), scene_number=number)
    session.add(scene)
    await session.flush()
    return scene


async def update_scene(*, session: AsyncSession, scene: Scene, data: SceneUpdate) -> Scene:
    changes = data.model_dump(exclude_none=True)
    if changes.get("scene_number", scene.scene_number) != scene.scene_number:
        await _number_free(session, scene, changes["scene_number"])
    for key, value in changes.items():
        setattr(scene, key, value)
    await session.flush()
    return scene


async def _number_free(session: AsyncSession, scene: Scene, number: int) -> None:
    await ordering.lock_parent(session, Scene.project_id, scene.project_id)
    taken = await session.scalar(
        select(Scene.id).where(Scene.project_id == scene.project_id, Scene.scene_number == number, Scene.id != scene.id)
    )
    if taken is not None:
        raise Conflict(f"the project already has a scene {number}")


async def delete(*, session: AsyncSession, scene: Scene) -> None:
    """Delete the scene and its shots (files on disk are kept)."""
    await session.delete(scene)


async def _check_characters(session: AsyncSession, project_id: int, ids: list[int]) -> None:
    if not ids:
        return
    found = set(
        (
            await session.scalars(select(Character.id).where(Character.id.in_(ids), Character.project_id == project_id))
        ).all()
    )
    missing = sorted(set(ids) - found)
    if missing:
        raise Invalid(f"characters {missing} are not in this project")


async def _source(
    session: AsyncSession, paths: MediaPaths, project_id: int, data: ShotFields
) -> tuple[str, int | None] | None:
    """The validated media-root-relative path (and asset) of the shot's chosen first frame, if one was given."""
    if data.source_asset_id is not None:
        asset = await assets.get(session=session, asset_id=data.source_asset_id)
        if asset.project_id != project_id or asset.kind != AssetKind.image:
            raise Invalid(f"asset {asset.id} is not an image of this project")
        return asset.path, asset.id
    if data.source_image_path:
        resolved = paths.inside(data.source_image_path)
        if resolved.suffix.lower() not in IMAGE_SUFFIXES or not resolved.is_file():
            raise Invalid(f"source image {data.source_image_path!r} is not an image under the media root")
        return paths.relative(resolved), None
    return None


async def _apply_shot_fields(
    session: AsyncSession, paths: MediaPaths, scene: Scene, shot: Shot, data: ShotFields
) -> None:
    values: dict[str, Any] = data.model_dump(
        exclude_none=True, exclude={"source_asset_id", "source_image_path", "position", "clear_source_image"}
    )
    ids = [
        *values.get("characters", []),
        *([values["dialogue_character_id"]] if "dialogue_character_id" in values else []),
    ]
    await _check_characters(session, scene.project_id, ids)
    source = await _source(session, paths, scene.project_id, data)
    if source is not None:
        shot.source_image_path, shot.source_asset_id = source
    for key, value in values.items():
        setattr(shot, key, value)


async def add_shot(*, session: AsyncSession, paths: MediaPaths, scene: Scene, data: ShotCreate) -> Shot:
    """Append a shot, or insert it at ``position`` (later shots move down)."""
    end = await ordering.next_number(session, parent_key=Shot.scene_id, column=Shot.position, parent_id=scene.id)
    count = end - 1
    position = min(data.position or end, end)
    if position <= count:
        await session.execute(
            update(Shot).where(Shot.scene_id == scene.id, Shot.position >= position).values(position=Shot.position + 1)
        )
    shot = Shot(scene_id=scene.id, position=position)
    await _apply_shot_fields(session, paths, scene, shot, data)
    session.add(shot)
    await session.flush()
    return shot


async def update_shot(*, session: AsyncSession, paths: MediaPaths, scene: Scene, shot: Shot, data: ShotUpdate) -> Shot:
    if data.clear_source_image:
        shot.source_image_path = shot.source_asset_id = None
    await _apply_shot_fields(session, paths, scene, shot, data)
    await session.flush()
    return shot


async def delete_shot(*, session: AsyncSession, shot: Shot) -> None:
    """Remove a shot and close the gap in positions."""
    scene_id = shot.scene_id
    await ordering.lock_parent(session, Shot.scene_id, scene_id)
    # Read again under the lock: a concurrent delete or reorder may have moved or removed it meanwhile.
    position = await session.scalar(select(Shot.position).where(Shot.id == shot.id))
    if position is None:
        raise NotFound(f"shot {shot.id} not found in scene {scene_id}")
    await session.delete(shot)
    await session.flush()
    await session.execute(
        update(Shot).where(Shot.scene_id == scene_id, Shot.position > position).values(position=Shot.position - 1)
    )


async def reorder(*, session: AsyncSession, scene: Scene, shot_ids: list[int]) -> list[Shot]:
    """Give the shots positions 1..N in the order listed (must list every shot exactly once)."""
    await ordering.lock_parent(session, Shot.scene_id, scene.id)
    shots = await shots_of(session=session, scene_id=scene.id)
    if sorted(shot_ids) != sorted(s.id for s in shots) or len(set(shot_ids)) != len(shot_ids):
        raise Invalid("shot_ids must list every shot of the scene exactly once")
    by_id = {s.id: s for s in shots}
    for position, shot_id in enumerate(shot_ids, start=1):
        by_id[shot_id].position = position
    await session.flush()
    return sorted(shots, key=lambda s: s.position)
