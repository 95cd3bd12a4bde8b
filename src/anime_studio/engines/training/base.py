"""The contract every LoRA training engine keeps, so the Train tab does not care where the steps run.

An engine trains from a kohya-layout folder (images with a ``.txt`` caption beside each), writes one
``.safetensors`` file per finished epoch with the key names ComfyUI's ``LoraLoader`` reads, and reports
progress as it goes. Cancelling stops between steps; every epoch already handed to ``on_epoch`` stays usable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Protocol

from anime_studio.engines.base import EngineStatus

Family = Literal["sd15", "sdxl"]


@dataclass(frozen=True)
class TrainingSettings:
    """What a person chooses in the Train tab (validated by the lora domain before any job starts)."""

    checkpoint: str
    family: Family
    trigger_word: str
    rank: int = 16
    alpha: float = 16.0
    learning_rate: float = 1e-4
    epochs: int = 10
    batch_size: int = 1
    resolution: int = 512
    bucketing: bool = True
    caption_dropout: float = 0.05
    seed: int = 42


@dataclass(frozen=True)
class TrainingProgress:
    step: int
    total_steps: int
    epoch: int
    total_epochs: int
    loss: float | None
    message: str = ""


@dataclass(frozen=True)
class EpochResult:
    """One finished epoch: its LoRA file (local path) and the mean loss over its steps."""

    epoch: int
    path: Path
    loss: float
    steps: int


@dataclass(frozen=True)
class ResumeFrom:
    """Continue after ``epoch`` (1-based) starting from that epoch's LoRA weights."""

    epoch: int
    path: Path


OnProgress = Callable[[TrainingProgress], Awaitable[None]]
OnEpoch = Callable[[EpochResult], Awaitable[None]]
ShouldStop = Callable[[], Awaitable[bool]]


class TrainingCancelled(Exception):
    """Raised by ``train`` when ``should_stop`` said so; the epochs already reported stay valid."""


class TrainingEngine(Protocol):
    name: str

    async def status(self) -> EngineStatus: ...

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
    ) -> list[EpochResult]: ...
