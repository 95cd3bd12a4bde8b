"""Transcription through an OpenAI-compatible ``POST /audio/transcriptions`` (whisper servers, OpenAI)."""

from __future__ import annotations

from pathlib import Path

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.remote.openai import OpenAIClient
from anime_studio.engines.transcribe.base import Transcript
from anime_studio.media.probe import probe

# OpenAI's own cap on one upload; whisper.cpp / faster-whisper servers accept it too.
MAX_BYTES = 25 * 1024 * 1024


class OpenAITranscriber:
    name = "openai"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.openai_transcribe_model
        self.client = OpenAIClient(settings.openai_base_url, settings.openai_api_key, timeout=settings.openai_timeout)

    async def transcribe(self, audio: Path, *, language: str = "en") -> Transcript:
        size = audio.stat().st_size
        if size > MAX_BYTES:
            raise EngineError(f"{audio.name} is {size // (1024 * 1024)} MB; transcription servers take at most 25 MB")
        try:
            duration = probe(audio).duration
        except ValueError as error:
            raise EngineError(str(error)) from error
        text = await self.client.transcribe(self.model, audio, language=language.split("-")[0])
        return Transcript(text=text.strip(), engine=self.name, model=self.model, duration=duration)

    async def status(self) -> EngineStatus:
        return await self.client.status(kind="transcribe", name=self.name, model=self.model)
