"""The ``diffusers`` training engine: LoRA training on this worker's GPU (or CPU) with diffusers + peft.

torch and friends are the optional ``train`` extra, imported only when a run starts or the status is asked,
so a studio without them starts as usual and reports the engine unavailable.
"""

from __future__ import annotations

import asyncio
import importlib.metadata
import importlib.util
import json
import re
import subprocess
import sys
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TypeVar

from anime_studio.engines.base import EngineError, EngineStatus
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

REQUIRED = ("torch", "diffusers", "peft", "accelerate", "transformers", "safetensors")
_DEVICE = re.compile(r"^(auto|cpu|cuda|cuda:\d+|mps)$")
T = TypeVar("T")


@dataclass(frozen=True)
class TrainerOptions:
    checkpoints_dir: Path
    components_dir: Path | None = None
    device: str = "auto"
    mixed_precision: str = "fp16"
    train_text_encoder: bool = True
    gradient_checkpointing: bool = False


class DiffusersTrainer:
    name = "diffusers"

    def __init__(self, options: TrainerOptions) -> None:
        self.options = options

    async def status(self) -> EngineStatus:
        return await asyncio.to_thread(self._status)

    def _status(self) -> EngineStatus:
        missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
        models = self._checkpoints()
        if missing:
            detail = f"missing Python packages {', '.join(missing)}: pip install 'anime-studio[train]'"
            return EngineStatus(kind="training", name=self.name, reachable=False, detail=detail, models=models)
        try:
            facts = _torch_facts().result(timeout=_PROBE_WAIT)
        except TimeoutError:
            # Importing torch takes seconds; the status endpoint must not wait for it.
            version = importlib.metadata.version("torch")
            detail = f"torch {version} installed; still checking for a CUDA GPU, ask again in a few seconds"
            return EngineStatus(kind="training", name=self.name, reachable=True, detail=detail, models=models)
        except (subprocess.SubprocessError, OSError, ValueError, KeyError) as exc:  # TimeoutError is an OSError
            detail = f"torch is installed but does not load: {exc}"
            return EngineStatus(kind="training", name=self.name, reachable=False, detail=detail, models=models)
        device = self._device_for(facts.cuda)
        extra = {"torch": facts.version, "cuda": facts.cuda, "gpus": facts.gpus, "device": device}
        reachable = facts.cuda or not self.options.device.startswith("cuda")
        if not reachable:
            detail = f"device {self.options.device} configured but torch {facts.version} sees no CUDA GPU"
        elif device.startswith("cuda"):
            detail = f"training on {device} ({', '.join(facts.gpus)})"
        else:
            detail = "training on the CPU: fine for tests, far too slow for a real LoRA"
        return EngineStatus(
            kind="training", name=self.name, reachable=reachable, detail=detail, models=models, extra=extra
        )

    def _checkpoints(self) -> list[str]:
        root = self.options.checkpoints_dir
        if not root.is_dir():
            return []
        return sorted(p.relative_to(root).as_posix() for p in root.rglob("*.safetensors") if p.is_file())

    def _device(self) -> str:
        return self._device_for(_torch_facts().result().cuda)

    def _device_for(self, cuda: bool) -> str:
        if self.options.device == "auto":
            return "cuda" if cuda else "cpu"
        return self.options.device

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
        job = await asyncio.to_thread(self._job, dataset, settings, out_dir, resume)
        from anime_studio.engines.training.diffusers import loop as training_loop

        bridge = _Bridge(asyncio.get_running_loop(), on_progress, on_epoch, should_stop)
        try:
            return await asyncio.to_thread(_guarded, training_loop.run, job, bridge)
        except asyncio.CancelledError:
            bridge.abandon()  # the thread stops at its next step instead of training on unobserved
            raise

    def _job(self, dataset: Path, settings: TrainingSettings, out_dir: Path, resume: ResumeFrom | None) -> object:
        """Check everything that can be checked before loading gigabytes of weights."""
        check_settings(settings, resume)
        missing = [name for name in REQUIRED if importlib.util.find_spec(name) is None]
        if missing:
            raise EngineError(f"the diffusers trainer needs {', '.join(missing)}: pip install 'anime-studio[train]'")
        if not _DEVICE.match(self.options.device):
            raise EngineError(f"unknown training device {self.options.device!r} (auto, cpu, cuda, cuda:N, mps)")
        from anime_studio.engines.training.diffusers.components import search_folders
        from anime_studio.engines.training.diffusers.data import read_dataset
        from anime_studio.engines.training.diffusers.loop import Job

        checkpoint = self.resolve_checkpoint(settings.checkpoint)
        samples = read_dataset(dataset)
        out_dir.mkdir(parents=True, exist_ok=True)
        return Job(
            checkpoint=checkpoint,
            folders=search_folders(checkpoint, settings.family, self.options.components_dir),
            samples=samples,
            settings=settings,
            out_dir=out_dir,
            resume=resume,
            device=self._device(),
            mixed_precision=self.options.mixed_precision,
            train_text_encoder=self.options.train_text_encoder,
            gradient_checkpointing=self.options.gradient_checkpointing,
        )

    def resolve_checkpoint(self, name: str) -> Path:
        """A checkpoint named relative to the checkpoints folder; nothing outside it is ever opened."""
        relative = PurePosixPath(name.replace("\\", "/"))
        if not name or relative.is_absolute() or ".." in relative.parts or relative.suffix != ".safetensors":
            raise EngineError(f"checkpoint {name!r} must be a .safetensors file inside the checkpoints folder")
        path = self.options.checkpoints_dir / relative
        if not path.is_file():
            raise EngineError(f"checkpoint {name!r} not found in {self.options.checkpoints_dir}")
        return path


@dataclass(frozen=True)
class TorchFacts:
    version: str
    cuda: bool
    gpus: list[str]


_PROBE_WAIT = 0.5
_PROBE = (
    "import json, torch\n"
    "cuda = torch.cuda.is_available()\n"
    "gpus = [torch.cuda.get_device_name(i) for i in range(torch.cuda.device_count())] if cuda else []\n"
    "print(json.dumps({'version': torch.__version__, 'cuda': cuda, 'gpus': gpus}))\n"
)
_probe: Future[TorchFacts] | None = None
_probe_lock = threading.Lock()


def _torch_facts() -> Future[TorchFacts]:
    """torch's version and GPUs, found once per process."""
    global _probe
    with _probe_lock:
        if _probe is None:
            probe: Future[TorchFacts] = Future()
            threading.Thread(target=_find_torch_facts, args=(probe,), daemon=True, name="torch-probe").start()
            _probe = probe
        return _probe


def _find_torch_facts(probe: Future[TorchFacts]) -> None:
    # In a child process: importing torch here would hold the API process's GIL for seconds and add ~0.5 GB.
    try:
        done = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, timeout=300, check=True)
        facts = json.loads(done.stdout.strip().splitlines()[-1])
        probe.set_result(TorchFacts(str(facts["version"]), bool(facts["cuda"]), [str(g) for g in facts["gpus"]]))
    except Exception as exc:
        probe.set_exception(exc)


def check_settings(settings: TrainingSettings, resume: ResumeFrom | None) -> None:
    problems = []
    if settings.family not in ("sd15", "sdxl"):
        problems.append(f"family must be sd15 or sdxl, not {settings.family!r}")
    if not 1 <= settings.rank <= 1024:
        problems.append(f"rank must be between 1 and 1024, not {settings.rank}")
    if not settings.alpha > 0:
        problems.append(f"alpha must be positive, not {settings.alpha}")
    if not 0 < settings.learning_rate < 1:
        problems.append(f"learning rate must be between 0 and 1, not {settings.learning_rate}")
    if settings.epochs < 1 or settings.batch_size < 1:
        problems.append("epochs and batch size must be at least 1")
    if not 64 <= settings.resolution <= 4096:
        problems.append(f"resolution must be between 64 and 4096 px, not {settings.resolution}")
    if not 0 <= settings.caption_dropout < 1:
        problems.append(f"caption dropout must be in [0, 1), not {settings.caption_dropout}")
    if resume is not None and not 1 <= resume.epoch < settings.epochs:
        problems.append(f"cannot resume after epoch {resume.epoch} of a {settings.epochs}-epoch run")
    if resume is not None and not resume.path.is_file():
        problems.append(f"the LoRA to resume from ({resume.path.name}) does not exist")
    if problems:
        raise EngineError("; ".join(problems))


def _guarded(run: object, job: object, bridge: _Bridge) -> list[EpochResult]:
    import torch

    try:
        result: list[EpochResult] = run(job, bridge)  # type: ignore[operator]
    except torch.cuda.OutOfMemoryError as exc:
        raise EngineError(
            "out of GPU memory: lower the batch size or resolution, or enable gradient checkpointing"
        ) from exc
    return result


class _Bridge:
    """Runs the caller's coroutines on its event loop from the training thread, one at a time, in order."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, on_progress: OnProgress, on_epoch: OnEpoch, should_stop: ShouldStop
    ) -> None:
        self.loop = loop
        self.on_progress = on_progress
        self.on_epoch = on_epoch
        self.should_stop = should_stop
        self.abandoned = threading.Event()

    def abandon(self) -> None:
        self.abandoned.set()

    def _call(self, make: Callable[[], Awaitable[T]]) -> T:
        if self.abandoned.is_set():
            raise TrainingCancelled("the job awaiting this training was cancelled")
        # The coroutine is created on the loop, so an abandoned call never leaves one un-awaited.
        future: Future[T] = asyncio.run_coroutine_threadsafe(_awaited(make), self.loop)
        return future.result()

    def progress(self, progress: TrainingProgress) -> None:
        self._call(lambda: self.on_progress(progress))

    def epoch(self, result: EpochResult) -> None:
        self._call(lambda: self.on_epoch(result))

    def stop(self) -> bool:
        return self.abandoned.is_set() or self._call(self.should_stop)


async def _awaited(make: Callable[[], Awaitable[T]]) -> T:
    return await make()
