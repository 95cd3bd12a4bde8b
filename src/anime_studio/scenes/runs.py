"""Start scene runs (one at a time per scene), and tell whether a scene's video is current enough to use."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.errors import Conflict, Invalid
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Scene

SCENE_KINDS = ("scene.generate", "scene.shot", "scene.assemble", "scene.music")


async def active(*, session: AsyncSession, scene: Scene) -> Run | None:
    """The scene's queued or running run, if any (one whose worker died counts until recovery requeues it)."""
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
    running = await active(session=session, scene=scene)
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


async def video_problem(*, session: AsyncSession, scene: Scene) -> str | None:
    """Why the scene's video must not go into an episode now; None when it shows the scene's shots as they are.

    Refused: a run still working on the scene (its shots are half new, half old), and shots changed, added,
    removed, reordered or regenerated after the video was made.
    """
    name = f"scene {scene.scene_number} ({scene.title})"
    run = await active(session=session, scene=scene)
    if run is not None:
        return f"{name} is still being rendered by job {run.id} ({run.status.value}); wait for it to finish"
    shots = await scenes.shots_of(session=session, scene_id=scene.id)
    assembled = scene.generation.get("assembled_shots")
    done = [shot.id for shot in shots if shot.status in scenes.DONE_SHOT_STATES]
    made = await video_made_at(session=session, scene=scene)
    if (assembled is not None and list(assembled) != done) or (
        made is not None and any(shot.updated_at > made for shot in shots)
    ):
        return f"{name} changed after its video was made: render the scene again"
    return None


async def video_made_at(*, session: AsyncSession, scene: Scene) -> datetime | None:
    """When the run that made the video finished, by the database's clock (the one that stamps the shots)."""
    run_id = scene.generation.get("run_id")
    if not isinstance(run_id, int):
        return None
    # updated_at, not finished_at: finished_at is the worker's clock, shots carry the database's now().
    return await session.scalar(select(Run.updated_at).where(Run.id == run_id, Run.status == RunStatus.succeeded))
