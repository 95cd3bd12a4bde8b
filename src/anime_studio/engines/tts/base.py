"""The TTS protocol."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from anime_studio.engines.base import EngineStatus


@dataclass(frozen=True)
class VoiceSettings:
    voice: str = "en-us"
    pitch: int = 50
    rate: int = 170
    volume: int = 100


@dataclass(frozen=True)
class SpeechRequest:
    text: str
    output_path: Path
    voice: VoiceSettings = VoiceSettings()
    reference: Path | None = None
    """A recording of the speaker (normalised WAV) for engines that clone voices; the others ignore it."""


@dataclass(frozen=True)
class SpeechResult:
    path: Path
    duration: float
    sample_rate: int
    engine: str


class TtsEngine(Protocol):
    name: str
    clones_voice: bool
    """Whether ``SpeechRequest.reference`` shapes the voice (the scene pipeline then passes one)."""

    async def synthesize(self, request: SpeechRequest) -> SpeechResult:
        """Speak ``text`` into a mono 16-bit WAV at ``output_path``."""
        ...

    async def voices(self) -> list[str]: ...

    async def status(self) -> EngineStatus: ...
