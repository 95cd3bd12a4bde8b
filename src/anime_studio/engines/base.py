"""What every engine shares: status reports, errors, progress callbacks."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Literal

from pydantic import BaseModel, Field

Kind = Literal["image", "video", "vision", "llm", "tts", "music", "publish", "embeddings", "training", "transcribe"]

Progress = Callable[[float, str], Awaitable[None]]
"""``await progress(fraction 0..1, message)``; engines call it as work advances."""


async def no_progress(fraction: float, message: str) -> None:
    """The default progress callback: ignore."""


class EngineStatus(BaseModel):
    """What ``GET /api/lora/engines`` shows for one engine."""

    kind: Kind
    name: str
    reachable: bool
    detail: str = ""
    models: list[str] = Field(default_factory=list, description="checkpoints, voices, … the engine can use")
    extra: dict[str, Any] = Field(default_factory=dict)


class EngineError(Exception):
    """A permanent failure (bad input, missing model, validation): retrying will not help."""


class TransientEngineError(EngineError):
    """A failure that may pass (backend down, timeout, connection reset): the job retries with backoff."""


class MissingRequirement(EngineError):
    """The engine lacks a node pack, model file or binary; ``missing`` lists what to install."""

    def __init__(self, message: str, missing: list[str]) -> None:
        super().__init__(f"{message}: {', '.join(missing)}")
        self.missing = missing
