"""LoRA training on a ComfyUI backend of the render pool, with ComfyUI's own training nodes.

The job holds one backend for its whole length (renders go to the others), uploads the dataset into a
subfolder of its ``input/``, then submits one prompt per epoch (see ``comfyui_workflow`` for why), each
validated against the backend's ``/object_info`` first. Steps come from the websocket's ``progress``
messages of ``TrainLoraNode``; the loss series and the saved file come back after each epoch.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import math
import re
import secrets
import shutil
import tempfile
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps

from anime_studio.engines.base import EngineError, EngineStatus, TransientEngineError
from anime_studio.engines.comfyui.pool import Backend, ComfyPool, describe_down
from anime_studio.engines.comfyui.requirements import require
from anime_studio.engines.comfyui.waiting import wait
from anime_studio.engines.training.base import (
    EpochResult,
    OnEpoch,
    OnProgress,
    ResumeFrom,
    ShouldStop,
    TrainingCancelled,
    TrainingProgress,
    TrainingSettings,
)
from anime_studio.engines.training.comfyui_workflow import (
    NO_LORA,
    TRAINED_FOLDER,
    EpochNodes,
    EpochPlan,
    epoch_workflow,
    saved_name,
)

TRAINING_NODES = ("LoadImageTextDataSetFromFolder", "MakeTrainingDataset", "TrainLoraNode", "SaveLoRA", "PreviewAny")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp", ".bmp"})
STOP_POLL = 0.5
"""Seconds between checks of ``should_stop`` while an epoch runs."""


@dataclass(frozen=True)
class Sample:
    image: Path
    caption: str


class ComfyTrainingEngine:
    """``TrainingEngine`` on the ComfyUI pool."""

    name = "comfyui"

    def __init__(self, pool: ComfyPool, *, upload_root: str = "anime_studio_training") -> None:
        self.pool = pool
        self.upload_root = upload_root

    async def status(self) -> EngineStatus:
        statuses = await self.pool.refresh()
        reachable = [s for s in statuses if s.reachable]
        if not reachable:
            return EngineStatus(kind="training", name=self.name, reachable=False, detail=describe_down(self.pool))
        # Only the backends that just answered: a hung one must not hold the engines page up.
        schemas = list((await self.pool.reachable_schemas()).values())
        able = [s for s in schemas if all(s.has(n) for n in TRAINING_NODES)]
        models = sorted({f for s in able for f in s.files("CheckpointLoaderSimple", "ckpt_name")})
        detail = f"{len(able)} of {len(schemas)} backend(s) have ComfyUI's training nodes"
        return EngineStatus(kind="training", name=self.name, reachable=bool(able), detail=detail, models=models)

    async def train(
        self,
        *,
        dataset: Path,
        settings: TrainingSettings,
        out_dir: Path,
        on_progress: OnProgress,
        on_epoch: OnEpoch,
        should_stop: ShouldStop,
        resume: ResumeFrom | None = None,
    ) -> list[EpochResult]:
        samples, repeats = await asyncio.to_thread(read_dataset, dataset)
        steps_per_epoch = max(1, math.ceil(len(samples) * repeats / settings.batch_size))
        candidates = await self._capable(settings)
        owner = f"training {settings.trigger_word}"
        async with self.pool.hold(owner, among=candidates, timeout=self.pool.timeout) as backend:
            run = _EpochRunner(backend, settings, steps_per_epoch, on_progress, should_stop, self.pool.timeout)
            run.folder = await self._upload(backend, samples, settings)
            out_dir.mkdir(parents=True, exist_ok=True)
            results: list[EpochResult] = []
            first = 1
            if resume is not None:
                first = resume.epoch + 1
                run.previous = await run.listed(resume.path.name)
                run.done_steps = resume.epoch * steps_per_epoch
            for epoch in range(first, settings.epochs + 1):
                result = await run.epoch(epoch, out_dir)
                results.append(result)
                await on_epoch(result)
            return results

    async def _capable(self, settings: TrainingSettings) -> list[Backend]:
        """Backends with the training nodes and the checkpoint (the first missing thing is raised if none)."""
        backends = [b for b in self.pool.backends if b.reachable is not False]
        if not backends:
            raise TransientEngineError("no ComfyUI backend is reachable: " + describe_down(self.pool))
        probe = epoch_workflow(settings, EpochPlan(folder="", prefix="probe", steps=1))[0]
        del probe["2"]  # the dataset folder exists only after the upload
        capable: list[Backend] = []
        first_error: EngineError | None = None
        for backend in backends:
            try:
                require(probe, await backend.client.object_info(max_age=30.0), url=backend.url)
            except EngineError as error:
                first_error = first_error or error
                continue
            capable.append(backend)
        if not capable:
            assert first_error is not None
            raise first_error
        return capable

    async def _upload(self, backend: Backend, samples: list[Sample], settings: TrainingSettings) -> str:
        """The dataset as square PNGs + captions in ``input/<root>/<content hash>`` (skipped when there)."""
        staging = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="as-train-"))
        try:
            files = await asyncio.to_thread(_stage, samples, settings.resolution, staging)
            digest = hashlib.sha256()
            for path in files:
                digest.update(path.name.encode() + await asyncio.to_thread(path.read_bytes))
            folder = f"{self.upload_root}/{digest.hexdigest()[:16]}"
            schemas = await backend.client.object_info(max_age=5.0)
            if folder not in schemas.files("LoadImageTextDataSetFromFolder", "folder"):
                for path in files:
                    await backend.client.upload_image(path, path.name, overwrite=True, subfolder=folder)
            return folder
        finally:
            await asyncio.to_thread(shutil.rmtree, staging, True)


class _EpochRunner:
    """Submits and follows the epochs of one training run on its held backend."""

    def __init__(
        self,
        backend: Backend,
        settings: TrainingSettings,
        steps_per_epoch: int,
        on_progress: OnProgress,
        should_stop: ShouldStop,
        timeout: float,
    ) -> None:
        self.backend, self.settings, self.spe = backend, settings, steps_per_epoch
        self.on_progress, self.should_stop, self.timeout = on_progress, should_stop, timeout
        self.folder = ""
        self.previous = NO_LORA
        """The ``existing_lora`` option holding the last finished epoch, or ``[None]`` (retrain from scratch)."""
        self.done_steps = 0
        self.run_token = secrets.token_hex(4)

    async def epoch(self, epoch: int, out_dir: Path) -> EpochResult:
        continuing = self.previous != NO_LORA
        steps = self.spe if continuing else epoch * self.spe
        prefix = f"{TRAINED_FOLDER}/{self.run_token}/e{epoch:03d}_{secrets.token_hex(3)}"
        plan = EpochPlan(folder=self.folder, prefix=prefix, steps=steps, existing_lora=self.previous)
        workflow, nodes = epoch_workflow(self.settings, plan)
        client = self.backend.client
        require(workflow, await client.object_info(refresh=True), url=self.backend.url)
        if await self.should_stop():
            raise TrainingCancelled(f"stopped before epoch {epoch}")
        offset = 0 if continuing else steps - self.spe  # steps of a from-scratch prompt that redo earlier epochs
        entry = await self._run(workflow, nodes, epoch, offset)
        losses = _losses(entry, nodes.loss)[-self.spe :]
        total = int(_text(entry, nodes.steps) or steps)
        folder, filename = saved_name(prefix, total)
        data = await client.view(filename, folder, "output")
        path = out_dir / filename
        await asyncio.to_thread(path.write_bytes, data)
        self.done_steps = epoch * self.spe
        self.previous = await self.listed(filename)
        mean = sum(losses) / len(losses) if losses else float("nan")
        # The loss map arrives with the finished epoch: each step's loss is reported then, in step order.
        first = self.spe - len(losses) + 1
        for step, loss in enumerate(losses, start=first):
            await self.on_progress(self._progress(epoch, step, loss, "loss"))
        await self.on_progress(self._progress(epoch, self.spe, None, f"epoch {epoch} saved"))
        return EpochResult(epoch=epoch, path=path, loss=mean, steps=self.spe)

    async def listed(self, filename: str) -> str:
        """The ``existing_lora`` option naming ``filename`` when the backend lists its trained LoRAs."""
        schemas = await self.backend.client.object_info(refresh=True)
        for option in schemas.files("TrainLoraNode", "existing_lora"):
            if option.replace("\\", "/").rsplit("/", 1)[-1] == filename:
                return option
        return NO_LORA

    async def _run(self, workflow: dict[str, Any], nodes: EpochNodes, epoch: int, offset: int) -> dict[str, Any]:
        client = self.backend.client
        prompt_id = str(uuid.uuid4())
        follower: asyncio.Task[None] | None = None
        stopper: asyncio.Task[bool] | None = None
        try:
            prompt_id = await client.submit(workflow, prompt_id=prompt_id)
            follower = asyncio.create_task(self._follow(prompt_id, nodes.train, epoch, offset))
            stopper = asyncio.create_task(_until(self.should_stop))
            waiter = asyncio.create_task(wait(client, prompt_id, None, timeout=self.timeout))
            done, _ = await asyncio.wait({waiter, stopper}, return_when=asyncio.FIRST_COMPLETED)
            if waiter not in done:
                waiter.cancel()
                await _withdraw(self.backend, prompt_id)
                raise TrainingCancelled(f"stopped during epoch {epoch}")
            return waiter.result()
        except asyncio.CancelledError:
            await _withdraw(self.backend, prompt_id)
            raise
        finally:
            for task in (follower, stopper):
                if task is not None:
                    task.cancel()

    async def _follow(self, prompt_id: str, train_node: str, epoch: int, offset: int) -> None:
        """Turn the training node's ``progress`` messages into step reports."""
        async with self.backend.client.hub.subscribe(prompt_id) as subscription:
            while True:
                event = await subscription.get(5.0)
                if event is None or event.type != "progress" or str(event.data.get("node")) != train_node:
                    continue
                value = int(event.data.get("value") or 0) - offset
                if value > 0:
                    await self.on_progress(self._progress(epoch, min(value, self.spe), None, "training"))

    def _progress(self, epoch: int, step_in_epoch: int, loss: float | None, message: str) -> TrainingProgress:
        return TrainingProgress(
            step=(epoch - 1) * self.spe + step_in_epoch,
            total_steps=self.spe * self.settings.epochs,
            epoch=epoch,
            total_epochs=self.settings.epochs,
            loss=loss,
            message=message,
        )


async def _until(should_stop: Callable[[], Awaitable[bool]]) -> bool:
    while not await should_stop():
        await asyncio.sleep(STOP_POLL)
    return True


async def _withdraw(backend: Backend, prompt_id: str) -> None:
    with contextlib.suppress(EngineError, asyncio.CancelledError):
        await asyncio.shield(backend.client.delete_queued([prompt_id]))
        await asyncio.shield(backend.client.interrupt(prompt_id))


def read_dataset(folder: Path) -> tuple[list[Sample], int]:
    """Images with their same-name captions from a kohya folder (``{repeats}_{trigger}/``) and the repeats."""
    images = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
    if not images:
        raise EngineError(f"the dataset folder {folder.name} holds no images")
    samples = []
    for image in images:
        caption = image.with_suffix(".txt")
        samples.append(Sample(image, caption.read_text().strip() if caption.is_file() else ""))
    match = re.match(r"(\d+)_", images[0].parent.name)
    return samples, max(1, int(match.group(1))) if match else 1


def _stage(samples: list[Sample], resolution: int, staging: Path) -> list[Path]:
    """``TrainLoraNode`` stacks the latents unless it gets pre-bucketed ones: every image the same square."""
    files: list[Path] = []
    for index, sample in enumerate(samples):
        with Image.open(sample.image) as source:
            square = ImageOps.fit(source.convert("RGB"), (resolution, resolution), Image.Resampling.LANCZOS)
        image = staging / f"{index:06d}.png"
        square.save(image)
        caption = image.with_suffix(".txt")
        caption.write_text(sample.caption)
        files += [image, caption]
    return files


def _text(entry: dict[str, Any], node_id: str) -> str | None:
    ui = (entry.get("outputs") or {}).get(node_id) or {}
    texts = ui.get("text") if isinstance(ui, dict) else None
    return str(texts[0]) if isinstance(texts, list) and texts else None


def _losses(entry: dict[str, Any], node_id: str) -> list[float]:
    """The ``LOSS_MAP`` as ``PreviewAny`` shows it: ``{"loss": [..]}`` in JSON."""
    raw = _text(entry, node_id)
    if raw is None:
        raise EngineError("the training prompt returned no loss values")
    try:
        values = json.loads(raw).get("loss", [])
        return [float(v) for v in values]
    except (ValueError, AttributeError, TypeError) as error:
        raise EngineError(f"the training prompt returned an unreadable loss map: {raw[:80]!r}") from error
