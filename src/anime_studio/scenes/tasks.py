"""Run kinds of scenes: generate (all shots + assembly), regenerate one shot, assemble, compose music."""

from __future__ import annotations

import asyncio
from typing import Any

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.music import library
from anime_studio.music.library import TrackRequest
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.pipeline.context import SceneWork, load
from anime_studio.scenes.pipeline.finish import assemble_scene
from anime_studio.scenes.pipeline.shots import Handoff, finished_handoff, generate_shot
from anime_studio.scenes.service import DONE_SHOT_STATES

SHOTS_SHARE = 0.88  # of the run's progress; the rest is assembly


async def _set_scene_status(work: SceneWork, status: str) -> None:
    async with work.ctx.runtime.db.transaction() as session:
        scene = await session.get(Scene, work.scene.id)
        if scene is not None:
            scene.status = work.scene.status = status
            work.notify(session)


async def _set_shot(work: SceneWork, shot: Shot, status: str, error: str | None = None) -> None:
    async with work.ctx.runtime.db.transaction() as session:
        row = await session.get(Shot, shot.id)
        if row is not None:
            row.status, row.error = status, error
            work.notify(session, row)
    shot.status = status


async def _run_shots(work: SceneWork, only: int | None) -> None:
    """Walk the shots in order, keeping the continuity chain; finished shots are not redone (resume)."""
    incoming: Handoff | None = None
    share = SHOTS_SHARE / max(1, len(work.shots))
    for index, shot in enumerate(work.shots):
        done = shot.status in DONE_SHOT_STATES and work.path(shot.output_path) is not None
        if (only is None and done) or (only is not None and shot.id != only):
            incoming = finished_handoff(work, shot, incoming)
            continue
        await _set_shot(work, shot, "generating")
        try:
            incoming = await generate_shot(work, shot, incoming, (index * share, (index + 1) * share))
        except asyncio.CancelledError:
            await asyncio.shield(_set_shot(work, shot, "pending", "cancelled"))
            raise
        except Exception as error:
            await asyncio.shield(_set_shot(work, shot, "failed", str(error)))
            raise


@run_kind("scene.generate", max_attempts=3, description="Generate every shot of a scene and assemble it")
async def generate_scene(ctx: RunContext) -> dict[str, Any]:
    """Shots in order through the progressive gates, then xfade assembly with dialogue and music."""
    work = await load(ctx, int(ctx.params["scene_id"]))
    if not work.shots:
        from anime_studio.errors import Invalid

        raise Invalid(f"scene {work.scene.title!r} has no shots")
    await _set_scene_status(work, "generating")
    try:
        await _run_shots(work, None)
        summary = await assemble_scene(work, (SHOTS_SHARE, 1.0))
    except asyncio.CancelledError:
        await asyncio.shield(_set_scene_status(work, "partial"))
        raise
    except Exception:
        await asyncio.shield(_set_scene_status(work, "failed"))
        raise
    return summary


@run_kind("scene.shot", max_attempts=3, description="Regenerate one shot of a scene, then re-assemble")
async def regenerate_shot(ctx: RunContext) -> dict[str, Any]:
    work = await load(ctx, int(ctx.params["scene_id"]))
    await _set_scene_status(work, "generating")
    try:
        await _run_shots(work, int(ctx.params["shot_id"]))
        return await assemble_scene(work, (SHOTS_SHARE, 1.0))
    except BaseException:
        await asyncio.shield(_set_scene_status(work, "partial"))
        raise


@run_kind("scene.assemble", max_attempts=2, description="Assemble a scene's finished shots with audio")
async def assemble(ctx: RunContext) -> dict[str, Any]:
    work = await load(ctx, int(ctx.params["scene_id"]))
    return await assemble_scene(work, (0.0, 1.0))


@run_kind("scene.music", max_attempts=3, description="Compose music for a scene from its mood")
async def compose_music(ctx: RunContext) -> dict[str, Any]:
    """Compose a track of the scene's length (or ``duration``) with the music engine and assign it."""
    work = await load(ctx, int(ctx.params["scene_id"]))
    duration = float(ctx.params.get("duration") or work.scene.duration or sum(s.duration for s in work.shots) or 30)
    mood = work.mood
    request = TrackRequest(mood=mood, duration=duration, seed=int(ctx.params.get("seed", 0)))
    runtime = ctx.runtime
    track = await library.compose(
        db=runtime.db, paths=runtime.paths, engine=runtime.engines.music, request=request, progress=ctx.span(0, 0.95)
    )
    path = await library.place(runtime.paths.inside(track.path), work.folder / f"music_run{ctx.run_id}.wav")
    async with ctx.runtime.db.transaction() as session:
        scene = await session.get(Scene, work.scene.id)
        asset = await assets.record(
            session=session,
            paths=ctx.runtime.paths,
            file=path,
            project_id=work.project.id,
            kind=AssetKind.audio,
            duration=track.duration,
            scene_id=work.scene.id,
            run_id=ctx.run_id,
            provenance={
                "engine": track.engine,
                "model": track.model,
                "mood": mood,
                "caption": track.caption,
                "seed": track.seed,
                "library_track_id": track.id,
            },
        )
        if scene is not None:
            scene.music_path = asset.path
            work.notify(session, music=asset.path)
    return {"asset_id": asset.id, "path": asset.path, "engine": track.engine, "duration": track.duration}
