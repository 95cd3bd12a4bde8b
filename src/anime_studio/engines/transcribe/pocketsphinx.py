"""The embedded transcriber: CMU PocketSphinx with the US-English model shipped inside its wheel."""

from __future__ import annotations

import asyncio
import threading
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import av
import numpy as np

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.transcribe.base import Transcript

if TYPE_CHECKING:
    from pocketsphinx import Decoder

RATE = 16_000  # the acoustic model's sampling rate
MAX_SECONDS = 600.0
# Lead and tail silence: the decoder's cepstral mean settles on it, and clipped first words come back.
PAD_SECONDS = 0.5


class PocketSphinxTranscriber:
    """Loads the decoder once (about a second, 30 MB language model) and decodes one file at a time."""

    name = "pocketsphinx"
    model = "en-us"

    def __init__(self) -> None:
        self._lock = threading.Lock()

    @cached_property
    def _decoder(self) -> Decoder:
        from pocketsphinx import Decoder

        return Decoder(samprate=RATE, loglevel="FATAL")

    async def transcribe(self, audio: Path, *, language: str = "en") -> Transcript:
        if not language.lower().startswith("en"):
            raise EngineError(f"the embedded transcriber knows English only, not {language!r}")
        samples = await asyncio.to_thread(pcm16_mono, audio, RATE, MAX_SECONDS)
        text = await asyncio.to_thread(self._decode, samples)
        return Transcript(text=text, engine=self.name, model=self.model, duration=len(samples) / 2 / RATE)

    def _decode(self, samples: bytes) -> str:
        pad = bytes(int(PAD_SECONDS * RATE) * 2)
        with self._lock:  # one decoder, one utterance at a time
            decoder = self._decoder
            decoder.start_utt()
            decoder.process_raw(pad + samples + pad, full_utt=True)
            decoder.end_utt()
            hypothesis = decoder.hyp()
        return hypothesis.hypstr.strip() if hypothesis is not None else ""

    async def status(self) -> EngineStatus:
        try:
            version = metadata.version("pocketsphinx")
        except metadata.PackageNotFoundError:
            return EngineStatus(kind="transcribe", name=self.name, reachable=False, detail="pocketsphinx not installed")
        return EngineStatus(
            kind="transcribe",
            name=self.name,
            reachable=True,
            detail=f"PocketSphinx {version}, US-English model from the wheel",
            models=[self.model],
        )


def pcm16_mono(path: Path, rate: int, max_seconds: float) -> bytes:
    """Decode any audio to signed 16-bit mono PCM at ``rate``; ``EngineError`` if unreadable or too long."""
    chunks: list[np.ndarray] = []
    total = 0
    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise EngineError(f"{path.name} has no audio stream")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
            for frame in container.decode(container.streams.audio[0]):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    total += chunk.size
                if total > max_seconds * rate:
                    raise EngineError(f"{path.name} is longer than {max_seconds:.0f} s; split it first")
            chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    except (av.error.FFmpegError, OSError) as error:
        raise EngineError(f"{path.name} is not decodable audio") from error
    if not chunks:
        raise EngineError(f"{path.name} holds no audio")
    return np.concatenate(chunks).astype("<i2").tobytes()
