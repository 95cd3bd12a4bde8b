"""The transcription protocol."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from anime_studio.engines.base import EngineStatus


@dataclass(frozen=True)
class Transcript:
    text: str
    engine: str
    model: str
    duration: float
    """Seconds of audio heard."""


class TranscribeEngine(Protocol):
    name: str

    async def transcribe(self, audio: Path, *, language: str = "en") -> Transcript:
        """The words spoken in ``audio`` (any format ffmpeg decodes), as plain text."""
        ...

    async def status(self) -> EngineStatus: ...
