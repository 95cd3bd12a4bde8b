"""Just enough music theory: keys, modes, roman-numeral chords and voice-led voicings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from anime_studio.engines.base import EngineError

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
_PITCH_CLASS = {
    "c": 0, "c#": 1, "db": 1, "d": 2, "d#": 3, "eb": 3, "e": 4, "f": 5, "f#": 6, "gb": 6,
    "g": 7, "g#": 8, "ab": 8, "a": 9, "a#": 10, "bb": 10, "b": 11,
}  # fmt: skip

MODES: dict[str, tuple[int, ...]] = {
    "major": (0, 2, 4, 5, 7, 9, 11),
    "minor": (0, 2, 3, 5, 7, 8, 10),
    "dorian": (0, 2, 3, 5, 7, 9, 10),
    "phrygian": (0, 1, 3, 5, 7, 8, 10),
    "lydian": (0, 2, 4, 6, 7, 9, 11),
    "mixolydian": (0, 2, 4, 5, 7, 9, 10),
}

QUALITIES: dict[str, tuple[int, ...]] = {
    "maj": (0, 4, 7),
    "min": (0, 3, 7),
    "dim": (0, 3, 6),
    "sus2": (0, 2, 7),
    "sus4": (0, 5, 7),
    "maj7": (0, 4, 7, 11),
    "min7": (0, 3, 7, 10),
    "dom7": (0, 4, 7, 10),
    "add9": (0, 4, 7, 14),
    "minadd9": (0, 3, 7, 14),
    "min9": (0, 3, 7, 10, 14),
    "m7b5": (0, 3, 6, 10),
}

_DEGREE = {"i": 0, "ii": 2, "iii": 4, "iv": 5, "v": 7, "vi": 9, "vii": 11}
_ROMAN = re.compile(r"^(?P<acc>[b#]?)(?P<num>[ivIV]+)(?P<dim>[o°]?)(?P<suffix>maj7|7|sus2|sus4|add9|9|m7b5)?$")


@dataclass(frozen=True)
class Key:
    """A tonic pitch class and a mode."""

    tonic: int
    mode: str

    @property
    def scale(self) -> tuple[int, ...]:
        return MODES[self.mode]

    @property
    def label(self) -> str:
        return f"{NOTE_NAMES[self.tonic]} {self.mode}"


@dataclass(frozen=True)
class Chord:
    """A chord as a root (semitones above the key's tonic) and intervals above that root."""

    symbol: str
    root: int
    intervals: tuple[int, ...]

    def pitch_classes(self, key: Key) -> tuple[int, ...]:
        return tuple((key.tonic + self.root + i) % 12 for i in self.intervals)


def parse_key(text: str) -> Key | None:
    """``"D minor"``, ``"key of F# major"``, ``"Eb"`` → a Key; ``None`` if no key is named."""
    match = re.search(r"\b([A-Ga-g])([#b]?)\s*(major|minor|maj|min|m|dorian|phrygian|lydian|mixolydian)?\b", text)
    if not match:
        return None
    tonic = _PITCH_CLASS[(match.group(1) + match.group(2)).lower()]
    mode = {"maj": "major", "min": "minor", "m": "minor", None: "major"}.get(match.group(3), match.group(3))
    return Key(tonic, str(mode))


def parse_chord(symbol: str) -> Chord:
    """A roman numeral (``I``, ``vi7``, ``bVII``, ``IVmaj7``, ``viio``, ``Vsus4``) → Chord."""
    match = _ROMAN.match(symbol)
    if not match or match.group("num").lower() not in _DEGREE:
        raise EngineError(f"not a chord symbol: {symbol!r}")
    numeral = match.group("num")
    root = _DEGREE[numeral.lower()] + {"b": -1, "#": 1, "": 0}[match.group("acc")]
    minor = numeral.islower()
    return Chord(symbol, root % 12, QUALITIES[_quality(minor, bool(match.group("dim")), match.group("suffix"))])


def _quality(minor: bool, diminished: bool, suffix: str | None) -> str:
    if diminished:
        return "m7b5" if suffix == "7" else "dim"
    if suffix in ("sus2", "sus4", "maj7", "m7b5"):
        return str(suffix)
    if suffix == "7":
        return "min7" if minor else "dom7"
    if suffix == "9":
        return "min9" if minor else "add9"
    if suffix == "add9":
        return "minadd9" if minor else "add9"
    return "min" if minor else "maj"


def voice_chord(chord: Chord, key: Key, *, low: int, high: int, previous: tuple[int, ...] | None) -> tuple[int, ...]:
    """MIDI notes for ``chord`` inside ``[low, high]``, moving as little as possible from ``previous``."""
    candidates = _voicings(chord, key, low, high)
    if not candidates:
        raise EngineError(f"cannot voice {chord.symbol} between MIDI {low} and {high}")
    if previous is None:
        centre = (low + high) / 2
        return min(candidates, key=lambda v: abs(sum(v) / len(v) - centre))
    return min(candidates, key=lambda v: _distance(v, previous))


def _voicings(chord: Chord, key: Key, low: int, high: int) -> list[tuple[int, ...]]:
    """Every close-position inversion of the chord that fits in the range."""
    base = [key.tonic + chord.root + i for i in chord.intervals]
    found: list[tuple[int, ...]] = []
    for inversion in range(len(base)):
        notes = base[inversion:] + [n + 12 for n in base[:inversion]]
        for octave in range(-2, 10):
            shifted = tuple(n + 12 * octave for n in notes)
            if shifted[0] >= low and shifted[-1] <= high:
                found.append(shifted)
    return found


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    return float(sum(min(abs(x - y) for y in b) for x in a) + abs(a[0] - b[0]) * 0.5)


def bass_note(chord: Chord, key: Key, *, low: int = 33) -> int:
    """The chord root in the octave starting at ``low``."""
    pitch = (key.tonic + chord.root) % 12
    return low + (pitch - low) % 12


def scale_notes(key: Key, low: int, high: int) -> list[int]:
    """Every MIDI note of the key's scale inside ``[low, high]``."""
    pitch_classes = {(key.tonic + step) % 12 for step in key.scale}
    return [n for n in range(low, high + 1) if n % 12 in pitch_classes]


def midi_to_hz(midi: float) -> float:
    """Equal temperament, A4 = 440 Hz."""
    return float(440.0 * 2.0 ** ((midi - 69.0) / 12.0))
