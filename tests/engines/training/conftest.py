"""A tiny SD1.5 checkpoint, its dataset and one finished 3-epoch run; the ComfyUI fakes for the comfyui engine."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from anime_studio.engines.training.base import EpochResult, TrainingProgress, TrainingSettings
from anime_studio.engines.training.diffusers.engine import DiffusersTrainer, TrainerOptions
from tests.engines.comfyui.conftest import comfy_factory, pools
from tests.engines.training import tiny

__all__ = ["comfy_factory", "pools"]


@dataclass
class Recorder:
    """What the engine reported, plus each epoch file's digest at the moment it was reported."""

    progress: list[TrainingProgress] = field(default_factory=list)
    epochs: list[EpochResult] = field(default_factory=list)
    digests: dict[int, str] = field(default_factory=dict)
    stop_after: int | None = None

    async def on_progress(self, progress: TrainingProgress) -> None:
        self.progress.append(progress)

    async def on_epoch(self, result: EpochResult) -> None:
        self.epochs.append(result)
        self.digests[result.epoch] = hashlib.sha256(result.path.read_bytes()).hexdigest()

    async def should_stop(self) -> bool:
        steps = sum(p.loss is not None for p in self.progress)
        return self.stop_after is not None and steps >= self.stop_after


@dataclass(frozen=True)
class Setup:
    models: Path
    checkpoint: Path
    dataset: Path
    trainer: DiffusersTrainer


def settings(**changes: object) -> TrainingSettings:
    """Three epochs of six steps (6 images x 2 repeats, batch 2); a high rate so the loss falls clearly."""
    values: dict[str, object] = {
        "checkpoint": "tiny.safetensors",
        "family": "sd15",
        "trigger_word": "tinychar",
        "rank": 4,
        "alpha": 4.0,
        "learning_rate": 2e-2,
        "epochs": 3,
        "batch_size": 2,
        "resolution": 64,
        "caption_dropout": 0.1,
        "seed": 1,
    }
    values.update(changes)
    return TrainingSettings(**values)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> Setup:
    root = tmp_path_factory.mktemp("training")
    models = root / "checkpoints"
    models.mkdir()
    checkpoint = tiny.write_checkpoint(models)
    dataset = tiny.write_dataset(root / "dataset")
    return Setup(models, checkpoint, dataset, DiffusersTrainer(TrainerOptions(checkpoints_dir=models, device="cpu")))


@pytest.fixture(scope="module")
async def trained(setup: Setup, tmp_path_factory: pytest.TempPathFactory) -> Recorder:
    recorder = Recorder()
    results = await setup.trainer.train(
        dataset=setup.dataset,
        settings=settings(),
        out_dir=tmp_path_factory.mktemp("run"),
        on_progress=recorder.on_progress,
        on_epoch=recorder.on_epoch,
        should_stop=recorder.should_stop,
    )
    assert results == recorder.epochs
    return recorder
