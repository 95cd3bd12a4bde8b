"""Start scene runs, refusing a second one on the same scene while one is queued or running."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.errors import Conflict, Invalid
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Scene

SCENE_KINDS = ("scene.generate", "scene.shot", "scene.assemble", "scene.music")


async def _busy(session: AsyncSession, scene: Scene) -> Run | None:
    for kind in SCENE_KINDS:
        run = await jobs.find_active(session=session, kind=kind, subject_type="scene", subject_id=scene.id)
        if run is not None:
            return run
    return None


async def start(*, session: AsyncSession, scene: Scene, kind: str, user_id: int | None, **params: Any) -> Run:
    """Queue ``kind`` for the scene (422 if it has nothing to work on, 409 if a run is already in progress)."""
    shots = await scenes.shots_of(session=session, scene_id=scene.id)
    if kind in ("scene.generate", "scene.shot") and not shots:
        raise Invalid("the scene has no shots yet: add shots first")
    if kind == "scene.assemble" and not scenes.finished_count(shots):
        raise Invalid("no finished shots to assemble: generate the scene first")
    running = await _busy(session, scene)
    if running is not None:
        raise Conflict(f"scene {scene.id} is already busy with job {running.id} ({running.kind})")
    if kind == "scene.generate":
        for shot in shots:  # a fresh generation redoes every shot (resume only happens within a run)
            shot.status, shot.error = "pending", None
        scene.status = "queued"
    return await jobs.enqueue(
        session=session,
        kind=kind,
        params={"scene_id": scene.id, **params},
        project_id=scene.project_id,
        subject_type="scene",
        subject_id=scene.id,
        user_id=user_id,
        label=f"{scene.title}: {kind.removeprefix('scene.').replace('shot', 'regenerate shot')}",
    )


async def latest(*, session: AsyncSession, scene: Scene) -> Run | None:
    runs, _ = await jobs.list_runs(session=session, limit=1, offset=0, subject_type="scene", subject_id=scene.id)
    return runs[0] if runs else None
