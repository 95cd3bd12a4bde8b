"""The embedded TTS engine: espeak-ng, a voice per character, mono 16-bit WAV."""

from __future__ import annotations

import asyncio
import difflib
import io
import wave
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.tts.base import SpeechRequest, SpeechResult, VoiceSettings
from anime_studio.engines.tts.espeak_ng import EspeakNg, library

MAX_TEXT_CHARS = 5000
RATE_RANGE = (80, 450)  # words per minute, espeak-ng's own limits
PITCH_RANGE = (0, 100)
VOLUME_RANGE = (0, 200)
VOICE_HELP = (
    "use a language code such as en-us, en-gb, fr, de or ja, optionally with a variant such as +f3, +m3 or +klatt "
    "(e.g. en-us+f3); the engine status (GET /api/lora/engines) lists every voice and variant"
)


class EspeakEngine:
    """Speaks dialogue with the espeak-ng library bundled in the ``espeakng-loader`` wheel."""

    name = "espeak"

    def __init__(self, espeak: EspeakNg | None = None) -> None:
        self._espeak = espeak

    @property
    def _lib(self) -> EspeakNg:
        if self._espeak is None:
            self._espeak = library()
        return self._espeak

    @cached_property
    def _catalogue(self) -> tuple[list[str], list[str]]:
        """(language codes, variant names), read once: the data files do not change at run time."""
        languages = sorted({v.languages[0] for v in self._lib.list_voices() if v.languages})
        variants = sorted(v.identifier.removeprefix("!v/") for v in self._lib.list_variants())
        return languages, variants

    async def synthesize(self, request: SpeechRequest) -> SpeechResult:
        """Speak ``request.text`` into a mono 16-bit WAV at ``request.output_path``."""
        text = _clean_text(request.text)
        _check_settings(request.voice)
        voice = await asyncio.to_thread(self._canonical_voice, request.voice.voice)
        samples = await asyncio.to_thread(self._speak, text, replace(request.voice, voice=voice))
        if not samples:
            raise EngineError(f"espeak-ng produced no audio for {text[:40]!r} (nothing pronounceable)")
        sample_rate = self._lib.sample_rate
        await asyncio.to_thread(_write_wav, request.output_path, samples, sample_rate)
        return SpeechResult(
            path=request.output_path,
            duration=len(samples) / 2 / sample_rate,
            sample_rate=sample_rate,
            engine=self.name,
        )

    def _speak(self, text: str, voice: VoiceSettings) -> bytes:
        try:
            return self._lib.synthesize(text, voice=voice.voice, rate=voice.rate, pitch=voice.pitch, volume=voice.volume)
        except EngineError as error:
            if "unknown" not in str(error):
                raise
            base = voice.voice.partition("+")[0].lower()
            close = difflib.get_close_matches(base, self._catalogue[0], n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise EngineError(f"{error}{hint}; {VOICE_HELP}") from error

    def _canonical_voice(self, voice: str) -> str:
        """``base+variant`` with the variant spelled as on disk; refuse unknown variants.

        espeak-ng silently ignores a variant it cannot find, so the user would hear the wrong voice.
        """
        base, _, variant = voice.strip().partition("+")
        if not base:
            raise EngineError(f"empty voice name in {voice!r}; {VOICE_HELP}")
        if not variant:
            return base
        variants = {name.lower(): name for name in self._catalogue[1]}
        if variant.lower() in variants:
            return f"{base}+{variants[variant.lower()]}"
        close = difflib.get_close_matches(variant.lower(), list(variants), n=3)
        hint = f" (did you mean {', '.join('+' + variants[c] for c in close)}?)" if close else ""
        raise EngineError(f"unknown espeak-ng voice variant +{variant}{hint}; {VOICE_HELP}")

    async def voices(self) -> list[str]:
        """Language voices (``en-us``, ``fr``…); append ``+variant`` (``en-us+f3``) for another timbre."""
        languages, _ = await asyncio.to_thread(lambda: self._catalogue)
        return languages

    async def status(self) -> EngineStatus:
        """Reachable when the bundled library and its voice data load."""
        try:
            languages, variants = await asyncio.to_thread(lambda: self._catalogue)
        except EngineError as error:
            return EngineStatus(kind="tts", name=self.name, reachable=False, detail=str(error))
        lib = self._lib
        return EngineStatus(
            kind="tts",
            name=self.name,
            reachable=True,
            detail=f"espeak-ng {lib.version}, {len(languages)} voices, {len(variants)} variants, {lib.sample_rate} Hz",
            models=languages,
            extra={"variants": variants, "sample_rate": lib.sample_rate},
        )


def _clean_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise EngineError("nothing to say: the dialogue text is empty")
    if len(cleaned) > MAX_TEXT_CHARS:
        raise EngineError(f"dialogue text is too long ({len(cleaned)} characters, at most {MAX_TEXT_CHARS})")
    return cleaned


def _check_settings(voice: VoiceSettings) -> None:
    for label, value, (low, high) in (
        ("rate", voice.rate, RATE_RANGE),
        ("pitch", voice.pitch, PITCH_RANGE),
        ("volume", voice.volume, VOLUME_RANGE),
    ):
        if not low <= value <= high:
            raise EngineError(f"voice {label} {value} is out of range ({low}–{high})")


def _write_wav(path: Path, samples: bytes, sample_rate: int) -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
