"""A small ctypes binding to the espeak-ng C library bundled in the ``espeakng-loader`` wheel.

Only the calls the TTS engine needs: initialise in synchronous mode, pick a voice, set the
prosody parameters, synthesise into a sample buffer, list voices and variants. espeak-ng keeps
process-wide state (current voice, parameters, callback), so every public function takes one
lock: a whole utterance is synthesised while nobody else can change the voice under it.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anime_studio.engines.base import EngineError, MissingRequirement

# espeak_AUDIO_OUTPUT: AUDIO_OUTPUT_SYNCHRONOUS returns from espeak_Synth only when every sample
# has been handed to the callback, so no background thread of espeak-ng runs alongside ours.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_INITIALIZE_DONT_EXIT = 0x8000  # without it a missing data dir calls exit() in the library
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EE_OK = 0
_EE_NOT_FOUND = 2

# espeak_PARAMETER values
RATE, VOLUME, PITCH = 1, 2, 3


class _Event(ctypes.Structure):
    """``espeak_EVENT``; only passed through, but the layout must match for the pointer type."""

    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),
    ]


class _Voice(ctypes.Structure):
    """``espeak_VOICE``."""

    _fields_ = [
        ("name", ctypes.c_char_p),
        ("languages", ctypes.c_void_p),  # (priority byte, language string, NUL)* then NUL
        ("identifier", ctypes.c_char_p),
        ("gender", ctypes.c_ubyte),
        ("age", ctypes.c_ubyte),
        ("variant", ctypes.c_ubyte),
        ("xx1", ctypes.c_ubyte),
        ("score", ctypes.c_int),
        ("spare", ctypes.c_void_p),
    ]


_SynthCallback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event))


@dataclass(frozen=True)
class VoiceInfo:
    """One entry of espeak-ng's voice list."""

    name: str
    languages: tuple[str, ...]
    identifier: str
    gender: int


class EspeakNg:
    """The bundled library, opened afresh for every call (see ``_session``)."""

    def __init__(self, library_path: str, data_path: str) -> None:
        self._library_path = library_path
        self.data_path = Path(data_path)
        self._data_path = data_path
        self._lock = threading.Lock()
        self._chunks: list[bytes] = []
        # Keep a reference: ctypes frees the trampoline when the Python object dies.
        self._callback = _SynthCallback(self._collect)
        self.sample_rate = 0
        with self._lock, self._session() as lib:
            raw = lib.espeak_Info(None)
            self.version = raw.decode(errors="replace") if raw else "unknown"
            self.voices = _read_voice_list(lib.espeak_ListVoices(None))
            spec = _Voice()
            spec.languages = ctypes.cast(ctypes.c_char_p(b"variant"), ctypes.c_void_p)
            self.variants = _read_voice_list(lib.espeak_ListVoices(ctypes.byref(spec)))

    @contextmanager
    def _session(self) -> Iterator[Any]:
        """A freshly loaded, initialised library, unloaded afterwards.

        espeak-ng keeps synthesis state in static variables (the pitch-flutter phase among them), so
        with one long-lived handle every utterance would depend on all the ones before it. Reloading
        (about a millisecond) makes the same request give the same samples.
        """
        try:
            lib: Any = ctypes.CDLL(self._library_path)
        except OSError as error:
            raise MissingRequirement("cannot load the espeak-ng library", [self._library_path]) from error
        _declare(lib)
        try:
            rate = int(
                lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, self._data_path.encode(), _INITIALIZE_DONT_EXIT)
            )
            if rate <= 0:
                raise MissingRequirement("espeak-ng could not start (voice data not found)", [self._data_path])
            self.sample_rate = rate
            lib.espeak_SetSynthCallback(self._callback)
            yield lib
        finally:
            lib.espeak_Terminate()
            _unload(lib)

    def _collect(self, wav: Any, count: int, events: Any) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        return 0  # 0 = continue synthesis

    def synthesize(self, text: str, *, voice: str, rate: int, pitch: int, volume: int) -> bytes:
        """Speak ``text`` with ``voice`` (``gmw/en-US``, ``gmw/en-US+f3``); little-endian 16-bit mono samples."""
        encoded = text.encode("utf-8")
        with self._lock, self._session() as lib:
            if lib.espeak_SetVoiceByName(voice.encode("utf-8")) != _EE_OK:
                raise EngineError(f"unknown espeak-ng voice {voice!r}")
            for parameter, value in ((RATE, rate), (PITCH, pitch), (VOLUME, volume)):
                lib.espeak_SetParameter(parameter, value, 0)
            self._chunks = []
            code = lib.espeak_Synth(encoded, len(encoded) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8, None, None)
            chunks, self._chunks = self._chunks, []
        if code != _EE_OK:
            raise EngineError(f"espeak-ng failed to synthesise (error {code})")
        return b"".join(chunks)


def _declare(lib: Any) -> None:
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_Initialize.restype = ctypes.c_int
    lib.espeak_SetSynthCallback.argtypes = [_SynthCallback]
    lib.espeak_SetSynthCallback.restype = None
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_SetVoiceByName.restype = ctypes.c_int
    lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.espeak_SetParameter.restype = ctypes.c_int
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    lib.espeak_Synth.restype = ctypes.c_int
    lib.espeak_ListVoices.argtypes = [ctypes.POINTER(_Voice)]
    lib.espeak_ListVoices.restype = ctypes.POINTER(ctypes.POINTER(_Voice))
    lib.espeak_Info.argtypes = [ctypes.c_void_p]
    lib.espeak_Info.restype = ctypes.c_char_p
    lib.espeak_Terminate.restype = ctypes.c_int


def _unload(lib: Any) -> None:
    """dlclose the handle so the next dlopen starts from pristine static state (POSIX only)."""
    import _ctypes

    close = getattr(_ctypes, "dlclose", None)
    if close is not None:
        close(lib._handle)


def _read_voice_list(array: Any) -> list[VoiceInfo]:
    voices: list[VoiceInfo] = []
    index = 0
    while array[index]:
        raw = array[index].contents
        voices.append(
            VoiceInfo(
                name=(raw.name or b"").decode(errors="replace"),
                languages=_languages(raw.languages),
                identifier=(raw.identifier or b"").decode(errors="replace"),
                gender=int(raw.gender),
            )
        )
        index += 1
    return voices


def _languages(address: int | None) -> tuple[str, ...]:
    """Decode espeak's packed ``(priority byte)(name)\\0 … \\0`` language list."""
    if not address:
        return ()
    found: list[str] = []
    offset = 0
    while ctypes.c_ubyte.from_address(address + offset).value != 0:
        name = ctypes.string_at(address + offset + 1)
        found.append(name.decode(errors="replace"))
        offset += len(name) + 2
    return tuple(found)


_instance: EspeakNg | None = None
_instance_lock = threading.Lock()


def library() -> EspeakNg:
    """The process-wide espeak-ng, loaded from the ``espeakng-loader`` wheel on first use."""
    global _instance
    with _instance_lock:
        if _instance is None:
            try:
                import espeakng_loader

                data_path = espeakng_loader.get_data_path()
            except (ImportError, RuntimeError) as error:
                raise MissingRequirement("espeak-ng is not installed", ["espeakng-loader (pip)"]) from error
            _instance = EspeakNg(espeakng_loader.get_library_path(), data_path)
        return _instance
