"""One shot: pick its first frame (continuity), animate it, and retry through the progressive quality gates."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.engines.video.base import VideoRequest, VideoResult
from anime_studio.engines.video.presets import default_motion
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.generation.requests import review_request
from anime_studio.media.probe import probe
from anime_studio.review import versions
from anime_studio.scenes.models import Shot
from anime_studio.scenes.pipeline import timeline
from anime_studio.scenes.pipeline.context import SceneWork
from anime_studio.scenes.pipeline.keyframes import keyframe_request, render_keyframe, shot_prompt

ATTEMPTS = 3
SEED_STRIDE = 7919  # a new seed per retry (spec: "new seed and more steps per retry")
STEP_BONUS = 5


@dataclass
class Attempt:
    result: VideoResult
    score: float
    seed: int
    steps: int


CHAINED = "previous shot's frame"


@dataclass(frozen=True)
class Handoff:
    """What a shot passes to the next one in a chain: the picture to go on from and who is in it."""

    frame: Path
    cast: frozenset[int]
    shot_type: str


def cast_ids(work: SceneWork, shot: Shot) -> frozenset[int]:
    """Everyone the shot must show: its characters and its speaker."""
    return frozenset(c.id for c in work.characters_of(shot))


def can_chain(work: SceneWork, shot: Shot, incoming: Handoff | None) -> bool:
    """Chain only when everyone this shot must show is in the incoming picture (and, for a camera move over
    a still, when the framing is the same: a close-up cannot be the wide picture again)."""
    if incoming is None or work.scene.continuity != "chain":
        return False
    if not cast_ids(work, shot) <= incoming.cast:
        return False
    return not work.ctx.runtime.engines.video.chains_from_source or incoming.shot_type == shot.shot_type


async def first_frame(work: SceneWork, shot: Shot, incoming: Handoff | None) -> tuple[Path, str]:
    """Explicit source image > the incoming picture (chain) > a rendered keyframe with the shot's cast."""
    source = work.path(shot.source_image_path)
    if source is not None:
        return source, "source image"
    if incoming is not None and can_chain(work, shot, incoming):
        return incoming.frame, CHAINED
    return await render_keyframe(work, keyframe_request(work, shot)), "keyframe"


def handoff(work: SceneWork, shot: Shot, incoming: Handoff | None, start: Path, last: Path, origin: str) -> Handoff:
    """The picture the next shot goes on from: the still itself after a camera move, else the last frame."""
    frame = start if work.ctx.runtime.engines.video.chains_from_source else last
    if origin == CHAINED and incoming is not None:  # the picture still shows the incoming cast and framing
        return Handoff(frame, incoming.cast | cast_ids(work, shot), incoming.shot_type)
    return Handoff(frame, cast_ids(work, shot), shot.shot_type)


def finished_handoff(work: SceneWork, shot: Shot, incoming: Handoff | None) -> Handoff | None:
    """The handoff of a shot finished in an earlier run (resume), from what its row recorded."""
    start, last = work.path(shot.first_frame_path), work.path(shot.last_frame_path)
    if start is None or last is None:
        return incoming
    chained = incoming is not None and start == incoming.frame
    return handoff(work, shot, incoming, start, last, CHAINED if chained else "keyframe")


def _review(work: SceneWork, shot: Shot, frame: Path) -> ReviewRequest:
    cast = work.characters_of(shot)
    context = f"{work.scene.title}: {shot.shot_type} shot, {shot.motion_prompt}"
    if cast:
        return review_request(cast[0], frame, work.style, context=context)
    return ReviewRequest(
        image_path=frame, expected_width=work.style.width, expected_height=work.style.height, context=context
    )


def _keyframes(work: SceneWork, shot: Shot) -> tuple[float, ...]:
    """IDR frames where this shot's transitions begin and end, so that assembly can copy the rest."""
    durations = [s.duration for s in work.shots]
    transitions = [(s.transition_type, s.transition_duration) for s in work.shots]
    index = next(n for n, s in enumerate(work.shots) if s.id == shot.id)
    return timeline.keyframe_times(durations, transitions, index, fps=work.style.fps)


async def _attempt(work: SceneWork, shot: Shot, start: Path, number: int, span: tuple[float, float]) -> Attempt:
    rt, style = work.ctx.runtime, work.style
    seed = (work.shot_seed(shot) + number * SEED_STRIDE) % 2**32
    steps = (shot.steps or style.steps) + STEP_BONUS * number
    request = VideoRequest(
        source_image=start,
        motion_prompt=shot.motion_prompt or default_motion(shot.shot_type),
        output_path=work.folder / f"shot_{shot.id}_attempt{number + 1}.mp4",
        duration=shot.duration,
        fps=style.fps,
        width=style.width,
        height=style.height,
        seed=seed,
        negative=shot_prompt(work, shot).negative,
        shot_type=shot.shot_type,
        camera_angle=shot.camera_angle,
        steps=steps,
        checkpoint=style.checkpoint_model,
        keyframes=_keyframes(work, shot),
    )
    label = f"shot {shot.position}/{len(work.shots)} attempt {number + 1}"
    result = await rt.engines.video.animate(request, progress=work.ctx.span(*span, prefix=label))
    scores = await rt.engines.vision.review(_review(work, shot, result.last_frame_path))
    return Attempt(result=result, score=scores.quality_score, seed=seed, steps=steps)


async def generate_shot(work: SceneWork, shot: Shot, incoming: Handoff | None, span: tuple[float, float]) -> Handoff:
    """Generate the shot (≤3 attempts, gates loosening), keep the best, record it; returns its handoff."""
    started = time.monotonic()
    work.folder.mkdir(parents=True, exist_ok=True)
    start, origin = await first_frame(work, shot, incoming)
    attempts: list[Attempt] = []
    width = (span[1] - span[0]) / ATTEMPTS
    for number, gate in enumerate(work.gates.shot_gates[:ATTEMPTS]):
        sub = (span[0] + width * number, span[0] + width * (number + 1))
        attempts.append(await _attempt(work, shot, start, number, sub))
        await work.ctx.progress(sub[1], f"shot {shot.position}: attempt {number + 1} scored {attempts[-1].score:.2f}")
        if attempts[-1].score >= gate:
            break
    best = max(attempts, key=lambda a: a.score)
    clip, last = _keep(work, shot, best, attempts)
    await _record(work, shot, best, len(attempts), clip, last, start, origin, time.monotonic() - started)
    return handoff(work, shot, incoming, start, last, origin)


def _keep(work: SceneWork, shot: Shot, best: Attempt, attempts: list[Attempt]) -> tuple[Path, Path]:
    clip = work.folder / f"shot_{shot.id}.mp4"
    last = work.folder / f"shot_{shot.id}_last.png"
    shutil.move(best.result.path, clip)
    shutil.move(best.result.last_frame_path, last)
    for other in attempts:
        if other is not best:
            other.result.path.unlink(missing_ok=True)
            other.result.last_frame_path.unlink(missing_ok=True)
    return clip, last


async def _record(
    work: SceneWork,
    shot: Shot,
    best: Attempt,
    tries: int,
    clip: Path,
    last: Path,
    start: Path,
    origin: str,
    seconds: float,
) -> None:
    rt = work.ctx.runtime
    status = "completed" if best.score >= work.gates.scene_shot_minimum else "low_quality"
    info = probe(clip)
    async with rt.db.transaction() as session:
        row = await session.get(Shot, shot.id)
        if row is None:  # deleted while generating
            return
        row.status, row.quality_score, row.attempts, row.error = status, round(best.score, 4), tries, None
        row.seed, row.steps, row.generation_time = best.seed, best.steps, round(seconds, 2)
        row.first_frame_path = work.relative(start)
        if origin == "keyframe":
            row.keyframe_path = work.relative(start)
        row.generated_at = datetime.now(UTC)
        version = await versions.record(
            session=session,
            paths=rt.paths,
            made=versions.Made(
                subject_type="shot",
                subject_id=shot.id,
                project_id=work.project.id,
                file=clip,
                run_id=work.ctx.run_id,
                companions={"last_frame": last},
                provenance={
                    "first_frame": origin,
                    "loras": list(work.loras_of(shot).records) if origin == "keyframe" else [],
                    "steps": best.steps,
                    "attempts": tries,
                    "parameters": best.result.parameters,
                    "restore": {"status": status, "quality_score": row.quality_score},
                },
                engine=best.result.engine,
                seed=best.seed,
                duration=info.duration,
                fps=work.style.fps,
            ),
        )
        row.output_path = version.path
        row.last_frame_path = version.companions.get("last_frame", work.relative(last))
        await assets.record(
            session=session,
            paths=rt.paths,
            file=rt.paths.inside(version.path),
            project_id=work.project.id,
            kind=AssetKind.clip,
            width=info.width,
            height=info.height,
            duration=info.duration,
            scene_id=work.scene.id,
            shot_id=shot.id,
            run_id=work.ctx.run_id,
            quality_score=row.quality_score,
            provenance={
                "engine": best.result.engine,
                "first_frame": origin,
                "loras": list(work.loras_of(shot).records) if origin == "keyframe" else [],
                "seed": best.seed,
                "steps": best.steps,
                "attempts": tries,
                "parameters": best.result.parameters,
                "version": version.number,
            },
        )
        work.notify(session, row)
        shot.status, shot.output_path, shot.last_frame_path = row.status, row.output_path, row.last_frame_path
