"""Run kind ``lora.train``: the engine trains, each epoch is stored as it lands, then sampled and scored.

A retried (resumed) run continues after the last stored epoch. Samples render beside the training when
another backend is free; when the training holds the only one, they render once it lets go.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.engines.base import EngineError
from anime_studio.engines.training.base import EpochResult, ResumeFrom, TrainingCancelled, TrainingProgress
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs import transitions
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.lora import samples, service
from anime_studio.lora.models import LoraEpoch, LoraTraining
from anime_studio.projects.models import Project

log = logging.getLogger(__name__)
WRITE_INTERVAL = 0.5
"""Seconds between progress writes (loss points are buffered in between)."""


@run_kind("lora.train", max_attempts=2, description="Train a character LoRA")
async def train(ctx: RunContext) -> dict[str, Any]:
    rt = ctx.runtime
    async with rt.db.sessionmaker() as session:
        training = await service.get(session=session, training_id=int(ctx.params["training_id"]))
        character = await characters.get(session=session, character_id=training.character_id)
        project = await session.get(Project, character.project_id)
        assert project is not None
        stored = await service.epochs(session=session, training_id=training.id)
    settings = service.training_settings(training)
    out_dir = rt.paths.root / "loras" / project.slug / character.slug / f"training-{training.id:05d}"
    tracker = _Tracker(ctx, training.id, settings.epochs)
    sampler = _Sampler(ctx, character, training.id, settings.trigger_word, out_dir / "samples")
    resume = None
    finished = [e for e in stored if rt.paths.inside(e.path).is_file()]
    if finished:
        last = finished[-1]
        resume = ResumeFrom(epoch=last.epoch, path=rt.paths.inside(last.path))
    sampler.pending.extend(e.epoch for e in finished if e.score is None)
    await tracker.begin(resume.epoch if resume else 0)
    sampling = asyncio.create_task(sampler.run())
    try:
        if resume is None or resume.epoch < settings.epochs:
            await rt.engines.training.train(
                dataset=rt.paths.inside(training.dataset_path),
                settings=settings,
                out_dir=out_dir,
                on_progress=tracker.progress,
                on_epoch=lambda result: _stored(tracker, sampler, result),
                should_stop=tracker.should_stop,
                resume=resume,
            )
    except TrainingCancelled:
        await _stop(sampling)
        await tracker.flush()
        await transitions.finish(rt.db, run_id=ctx.run_id, status=RunStatus.cancelled, error="cancelled")
        return {"training_id": training.id}
    except BaseException:
        await _stop(sampling)
        with contextlib.suppress(Exception):
            await tracker.flush()
        raise
    await tracker.flush()
    sampler.training_done = True
    await sampling
    best = await _choose_best(ctx, training.id)
    return {"training_id": training.id, "epochs": settings.epochs, "best_epoch": best}


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


async def _stored(tracker: _Tracker, sampler: _Sampler, result: EpochResult) -> None:
    await tracker.epoch(result)
    sampler.pending.append(result.epoch)
    sampler.wake.set()


class _Tracker:
    """Writes step/epoch progress, the loss series and the ETA; answers whether a cancel was asked for."""

    def __init__(self, ctx: RunContext, training_id: int, epochs: int) -> None:
        self.ctx, self.training_id, self.epochs = ctx, training_id, epochs
        self.points: list[list[float]] = []
        self.latest: TrainingProgress | None = None
        self.written = 0.0
        self.started = time.monotonic()
        self.start_step = 0

    async def begin(self, epoch: int) -> None:
        async with self.ctx.runtime.db.transaction() as session:
            training = await session.get(LoraTraining, self.training_id, with_for_update=True)
            assert training is not None
            # A resumed run restarts after its last finished epoch: later steps are trained again.
            per_epoch = training.total_steps // self.epochs if training.total_steps else 0
            training.step = training.steps_since = epoch * per_epoch
            training.epoch = epoch
            training.loss = [p for p in training.loss if p[0] <= training.step]
            training.trained_since = datetime.now(UTC)
            self.start_step = training.step

    async def progress(self, progress: TrainingProgress) -> None:
        if progress.loss is not None and math.isfinite(progress.loss):
            self.points.append([progress.step, round(progress.loss, 6)])
        self.latest = progress
        if time.monotonic() - self.written >= WRITE_INTERVAL:
            await self.flush()

    def eta(self, step: int, total: int) -> float | None:
        done = step - self.start_step
        if done <= 0 or total <= step:
            return None if total > step else 0.0
        return round((time.monotonic() - self.started) / done * (total - step), 1)

    async def flush(self) -> None:
        progress, points = self.latest, self.points
        self.points, self.written = [], time.monotonic()
        if progress is None and not points:
            return
        async with self.ctx.runtime.db.transaction() as session:
            training = await session.get(LoraTraining, self.training_id, with_for_update=True)
            assert training is not None
            if points:
                known = {int(p[0]) for p in training.loss}
                merged = training.loss + [p for p in points if int(p[0]) not in known]
                training.loss = sorted(merged, key=lambda p: p[0])
            if progress is not None:
                training.step, training.total_steps = progress.step, progress.total_steps
                training.epoch = progress.epoch
                training.eta_seconds = self.eta(progress.step, progress.total_steps)
            emit(session, names.LORA_PROGRESS, _event(training, progress))
        if progress is not None:
            fraction = progress.step / progress.total_steps if progress.total_steps else 0.0
            message = f"epoch {progress.epoch}/{progress.total_epochs}, step {progress.step}/{progress.total_steps}"
            await self.ctx.progress(min(0.99, fraction), message)

    async def epoch(self, result: EpochResult) -> None:
        await self.flush()
        async with self.ctx.runtime.db.transaction() as session:
            row = await session.scalar(
                select(LoraEpoch).where(LoraEpoch.training_id == self.training_id, LoraEpoch.epoch == result.epoch)
            )
            if row is None:
                row = LoraEpoch(training_id=self.training_id, epoch=result.epoch, path="")
                session.add(row)
            row.path = self.ctx.runtime.paths.relative(result.path)
            row.loss = result.loss if math.isfinite(result.loss) else None
            row.steps, row.score, row.samples = result.steps, None, []
            await session.flush()
            emit(session, names.LORA_EPOCH, {"training_id": self.training_id, "epoch": result.epoch, "stage": "saved"})

    async def should_stop(self) -> bool:
        async with self.ctx.runtime.db.sessionmaker() as session:
            return bool(await session.scalar(select(Run.cancel_requested).where(Run.id == self.ctx.run_id)))


def _event(training: LoraTraining, progress: TrainingProgress | None) -> dict[str, Any]:
    return {
        "training_id": training.id,
        "step": training.step,
        "total_steps": training.total_steps,
        "epoch": training.epoch,
        "eta_seconds": training.eta_seconds,
        "loss": progress.loss if progress else None,
    }


class _Sampler:
    """Renders and reviews each stored epoch's samples, in epoch order, beside the training."""

    def __init__(self, ctx: RunContext, character: Character, training_id: int, trigger: str, folder: Path) -> None:
        self.ctx, self.character, self.training_id = ctx, character, training_id
        self.trigger, self.folder = trigger, folder
        self.pending: list[int] = []
        self.deferred: list[int] = []
        self.wake = asyncio.Event()
        self.training_done = False

    async def run(self) -> None:
        while True:
            if not self.pending:
                if self.training_done:
                    if not self.deferred:
                        return
                    self.pending, self.deferred = self.deferred, []
                    continue
                self.wake.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.wake.wait(), 0.5)
                continue
            epoch = self.pending.pop(0)
            try:
                await self.sample(epoch)
            except EngineError as error:
                # While training holds its backend, the others may be busy or lack the new LoRA file (it lives
                # where it was trained): such samples wait for the training to end.
                if self.training_done:
                    raise
                log.info("samples of epoch %s wait for the training to let go of its GPU: %s", epoch, error)
                self.deferred.append(epoch)

    async def sample(self, epoch: int) -> None:
        rt = self.ctx.runtime
        async with rt.db.sessionmaker() as session:
            row = await session.scalar(
                select(LoraEpoch).where(LoraEpoch.training_id == self.training_id, LoraEpoch.epoch == epoch)
            )
            assert row is not None
            prompts = []
            style = None
            for text, _ in samples.SAMPLE_PROMPTS:
                composed, style = await characters.compose_prompt(session=session, character=self.character, extra=text)
                prompts.append(composed)
            assert style is not None
            lora = rt.paths.inside(row.path)
        records = await samples.render_and_review(
            image=rt.engines.image,
            vision=rt.engines.vision,
            character=self.character,
            style=style,
            prompts=prompts,
            lora=lora,
            trigger=self.trigger,
            folder=self.folder,
            epoch=epoch,
        )
        for record in records:
            record["path"] = rt.paths.relative(Path(record["path"]))
        async with rt.db.transaction() as session:
            row = await session.scalar(
                select(LoraEpoch)
                .where(LoraEpoch.training_id == self.training_id, LoraEpoch.epoch == epoch)
                .with_for_update()
            )
            assert row is not None
            row.samples = records
            row.score = round(sum(r["score"] for r in records) / len(records), 4) if records else None
            training = await session.get(LoraTraining, self.training_id, with_for_update=True)
            assert training is not None
            training.best_epoch = service.best_epoch(await service.epochs(session=session, training_id=training.id))
            emit(
                session,
                names.LORA_EPOCH,
                {"training_id": self.training_id, "epoch": epoch, "stage": "scored", "score": row.score},
            )


async def _choose_best(ctx: RunContext, training_id: int) -> int | None:
    async with ctx.runtime.db.transaction() as session:
        training = await session.get(LoraTraining, training_id, with_for_update=True)
        assert training is not None
        training.best_epoch = service.best_epoch(await service.epochs(session=session, training_id=training_id))
        training.eta_seconds = 0.0
        emit(session, names.LORA_EPOCH, {"training_id": training_id, "stage": "best", "epoch": training.best_epoch})
        return training.best_epoch
