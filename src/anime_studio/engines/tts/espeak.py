"""The embedded TTS engine: espeak-ng, a voice per character, mono 16-bit WAV."""

from __future__ import annotations

import asyncio
import difflib
import io
import wave
from functools import cached_property
from pathlib import Path

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.tts.base import SpeechRequest, SpeechResult, VoiceSettings
from anime_studio.engines.tts.espeak_ng import EspeakNg, VoiceInfo, library

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
    clones_voice = False  # formant synthesis: a voice is a language, a variant, pitch and rate

    def __init__(self, espeak: EspeakNg | None = None) -> None:
        self._espeak = espeak

    @property
    def _lib(self) -> EspeakNg:
        if self._espeak is None:
            self._espeak = library()
        return self._espeak

    @cached_property
    def _catalogue(self) -> _Catalogue:
        return _Catalogue(self._lib)

    async def synthesize(self, request: SpeechRequest) -> SpeechResult:
        """Speak ``request.text`` into a mono 16-bit WAV at ``request.output_path``."""
        text = _clean_text(request.text)
        _check_settings(request.voice)
        samples = await asyncio.to_thread(self._speak, text, request.voice)
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
        resolved = self._catalogue.resolve(voice.voice)
        return self._lib.synthesize(text, voice=resolved, rate=voice.rate, pitch=voice.pitch, volume=voice.volume)

    async def voices(self) -> list[str]:
        """Language voices (``en-us``, ``fr``…); append ``+variant`` (``en-us+f3``) for another timbre."""
        catalogue = await asyncio.to_thread(lambda: self._catalogue)
        return catalogue.languages

    async def status(self) -> EngineStatus:
        """Reachable when the bundled library and its voice data load."""
        try:
            catalogue = await asyncio.to_thread(lambda: self._catalogue)
        except EngineError as error:
            return EngineStatus(kind="tts", name=self.name, reachable=False, detail=str(error))
        lib = self._lib
        return EngineStatus(
            kind="tts",
            name=self.name,
            reachable=True,
            detail=f"espeak-ng {lib.version}, {len(catalogue.languages)} voices, {len(catalogue.variants)} variants",
            models=catalogue.languages,
            extra={"variants": catalogue.variants, "sample_rate": lib.sample_rate},
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
            raise EngineError(f"voice {label} {value} is out of range ({low} to {high})")


def _write_wav(path: Path, samples: bytes, sample_rate: int) -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(samples)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(buffer.getvalue())
    except OSError as error:
        raise EngineError(f"cannot write the speech file {path}: {error.strerror or error}") from error


class _Catalogue:
    """espeak-ng's voices and variants, and the resolution of what users type to what the library loads.

    ``espeak_SetVoiceByName`` finds voice files and names but not every language code the voice list
    reports (``en-gb`` lives in ``gmw/en``), and silently ignores an unknown ``+variant``; resolving
    here makes every listed voice work and every typo an error.
    """

    def __init__(self, lib: EspeakNg) -> None:
        self._by_name: dict[str, str] = {}
        usable = [v for v in lib.voices if v.languages and _has_dictionary(lib.data_path, v)]
        for voice in usable:  # primary languages first, so 'en' means the voice whose main language it is
            if voice.languages:
                self._by_name.setdefault(voice.languages[0].lower(), voice.identifier)
        for voice in usable:
            for name in (*voice.languages[1:], voice.identifier, voice.name):
                self._by_name.setdefault(name.lower(), voice.identifier)
        self.languages = sorted({v.languages[0] for v in usable})
        self.variants = sorted(v.identifier.removeprefix("!v/") for v in lib.variants)
        self._variants = {name.lower(): name for name in self.variants}

    def resolve(self, voice: str) -> str:
        """``en-GB+F3`` → ``gmw/en+f3``; an ``EngineError`` naming close matches otherwise."""
        base, _, variant = voice.strip().partition("+")
        identifier = self._by_name.get(base.strip().lower())
        if identifier is None:
            close = difflib.get_close_matches(base.strip().lower(), self.languages, n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            raise EngineError(f"unknown espeak-ng voice {base.strip()!r}{hint}; {VOICE_HELP}")
        if not variant:
            return identifier
        exact = self._variants.get(variant.strip().lower())
        if exact is None:
            close = difflib.get_close_matches(variant.strip().lower(), list(self._variants), n=3)
            hint = f" (did you mean {', '.join('+' + self._variants[c] for c in close)}?)" if close else ""
            raise EngineError(f"unknown espeak-ng voice variant +{variant.strip()}{hint}; {VOICE_HELP}")
        return f"{identifier}+{exact}"


def _has_dictionary(data_path: Path, voice: VoiceInfo) -> bool:
    """Whether the pronunciation dictionary the voice needs ships in the data folder.

    The wheel lists a few voices (Faroese, Karakalpak…) whose dictionaries it does not include; they
    would only print an error and produce silence.
    """
    dictionary = voice.languages[0].split("-")[0].lower()
    voice_file = data_path / "lang" / voice.identifier
    if voice_file.is_file():
        for line in voice_file.read_text(encoding="utf-8", errors="replace").splitlines():
            words = line.split()
            if len(words) >= 2 and words[0] == "dictionary":
                dictionary = words[1]
    return (data_path / f"{dictionary}_dict").is_file()
