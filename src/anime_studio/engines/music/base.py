"""The music protocol."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from anime_studio.engines.base import EngineStatus, Progress


@dataclass(frozen=True)
class MusicRequest:
    mood: str
    duration: float
    output_path: Path
    seed: int = 0
    prompt: str = ""
    """Extra style tags (genre, instruments) for engines that take text."""
    lyrics: str = ""
    """Sung words for engines that sing (ACE-Step); empty means instrumental."""
    fade_in: float = 1.0
    fade_out: float = 2.0


@dataclass(frozen=True)
class MusicResult:
    path: Path
    duration: float
    engine: str
    parameters: dict[str, Any]


class MusicEngine(Protocol):
    name: str
    model: str
    """What renders (checkpoint, algorithm version): part of the music library's cache key."""

    async def compose(self, request: MusicRequest, *, progress: Progress | None = None) -> MusicResult:
        """Write a stereo WAV of ``duration`` seconds (faded in/out) to ``output_path``."""
        ...

    async def status(self) -> EngineStatus: ...
