"""From a mood profile to a timed score: sections, chords per bar, accompaniment and melody."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from anime_studio.engines.music.synth.melody import MelodyNote, phrase, vary
from anime_studio.engines.music.synth.patterns import PATTERNS, Bar, Event
from anime_studio.engines.music.synth.profiles import Part, Profile
from anime_studio.engines.music.synth.theory import Chord, Key, parse_chord

BEATS = 4
MAX_TEMPO_STRETCH = 0.1
ARC = {"intro": 0.25, "A": 0.5, "A2": 0.62, "B": 0.78, "A3": 0.9, "break": 0.38, "outro": 0.3}
CYCLE = ("A", "A2", "B", "A3", "break")
SUSTAINED = ("pad", "drone")
RINGING = ("harp_roll", "arp_broken", "arp_quarters", "bells_sparse", "bells_double", "hits", "timpani_bar")


@dataclass(frozen=True)
class Section:
    kind: str
    start_bar: int
    bars: int
    intensity: float
    cycle: int = 0


@dataclass(frozen=True)
class Note:
    """A note in seconds, ready to render."""

    instrument: str
    start: float
    length: float
    midi: float
    velocity: float
    gain: float
    pan: float
    send: float


@dataclass
class Score:
    key: Key
    tempo: float
    bars: int
    sections: list[Section]
    notes: list[Note] = field(default_factory=list)

    @property
    def beat_seconds(self) -> float:
        return 60.0 / self.tempo


def fit_tempo(tempo: float, duration: float) -> tuple[float, int]:
    """Nudge the tempo (at most 10 %) so a whole number of bars fills the duration exactly."""
    bar_seconds = BEATS * 60.0 / tempo
    bars = max(1, round(duration / bar_seconds))
    fitted = BEATS * 60.0 * bars / duration
    if abs(fitted / tempo - 1.0) <= MAX_TEMPO_STRETCH:
        return fitted, bars
    return tempo, max(1, math.ceil(duration / bar_seconds))


def plan_sections(bars: int, *, build: bool) -> list[Section]:
    """Intro, then A A' B A'' (break) cycles, then an outro on the tonic."""
    if bars <= 2:
        kinds = [("A", 1), ("outro", 1)] if bars == 2 else [("outro", 1)]
    else:
        intro = 2 if bars >= 12 else (1 if bars >= 6 else 0)
        outro = 2 if bars >= 12 else 1
        body = bars - intro - outro
        if body % 4 == 1 and body > 4:  # a one-bar scrap of theme sounds like a mistake: hold the ending longer
            body, outro = body - 1, outro + 1
        kinds = [("intro", intro)] if intro else []
        body_kinds = [(CYCLE[i % len(CYCLE)], 4) for i in range(body // 4)]
        if body % 4:  # a shorter last section, cut from the next one in the cycle
            body_kinds.append((CYCLE[len(body_kinds) % len(CYCLE)], body % 4))
        if body_kinds and body_kinds[-1][0] == "break":  # end on the theme, not on a breakdown
            body_kinds[-1] = ("A3", body_kinds[-1][1])
        kinds += [*body_kinds, ("outro", outro)]
    sections: list[Section] = []
    start = 0
    cycle = 0
    for kind, length in kinds:
        sections.append(Section(kind, start, length, _intensity(kind, start, bars, build), cycle))
        cycle += kind == "break"
        start += length
    return sections


def _intensity(kind: str, start: int, bars: int, build: bool) -> float:
    if not build or kind in ("intro", "outro"):
        return ARC[kind] + (0.15 if build and kind == "outro" else 0.0)
    ramp = 0.35 + 0.65 * start / max(bars - 1, 1)
    return ramp * (0.6 if kind == "break" else 1.0)


def compose(profile: Profile, key: Key, tempo: float, bars: int, rng: np.random.Generator) -> Score:
    """The whole piece as notes in seconds."""
    score = Score(key=key, tempo=tempo, bars=bars, sections=plan_sections(bars, build=profile.build))
    prog_a = [parse_chord(s) for s in profile.progression_a]
    prog_b = [parse_chord(s) for s in profile.progression_b]
    themes = _Themes(profile, key, prog_a, prog_b, rng)
    for index, section in enumerate(score.sections):
        chords = _section_chords(section, prog_a, prog_b)
        upcoming = score.sections[index + 1] if index + 1 < len(score.sections) else None
        next_first = _section_chords(upcoming, prog_a, prog_b)[0] if upcoming else chords[0]
        for part in profile.parts:
            for event, bar in _accompaniment(part, section, chords, next_first, key, rng):
                score.notes.append(_timed(score, profile, part, section.start_bar + bar, event, rng))
        for melody_note, instrument in themes.melody(section, chords):
            part = Part("melody", instrument, profile.melody_gain, pan=0.05, send=0.3)
            event = Event(instrument, melody_note.beat, melody_note.length, melody_note.midi, melody_note.velocity)
            score.notes.append(_timed(score, profile, part, section.start_bar, event, rng))
    return score


def _section_chords(section: Section, prog_a: list[Chord], prog_b: list[Chord]) -> list[Chord]:
    if section.kind == "outro":
        return [prog_a[0]] * section.bars
    progression = prog_b if section.kind == "B" or (section.kind == "break" and section.cycle % 2 == 0) else prog_a
    return [progression[i % len(progression)] for i in range(section.bars)]


def _accompaniment(
    part: Part, section: Section, chords: list[Chord], next_first: Chord, key: Key, rng: np.random.Generator
) -> list[tuple[Event, int]]:
    if section.intensity < part.min_intensity and not (section.kind == "outro" and part.role in SUSTAINED):
        return []
    pattern = PATTERNS[part.role]
    events: list[tuple[Event, int]] = []
    for bar_index, chord in enumerate(chords):
        if section.kind == "outro" and bar_index > 0 and part.role not in SUSTAINED:
            break
        if section.kind == "outro" and part.role not in SUSTAINED + RINGING:
            events += [(e, bar_index) for e in _final_hit(part, chord, key, section.bars)]
            break
        span = 0 if bar_index and chords[bar_index - 1] == chord else _span(chords, bar_index)
        following = chords[bar_index + 1] if bar_index + 1 < len(chords) else next_first
        bar = Bar(chord, following, key, part.instrument, part.register, BEATS, section.intensity, bar_index,
                  section.bars, span, rng)  # fmt: skip
        events += [(e, bar_index) for e in pattern(bar)]
    return events


def _final_hit(part: Part, chord: Chord, key: Key, bars: int) -> list[Event]:
    """The last chord of the piece: basses hold the root, drums give one soft kick, the rest rest."""
    if part.role.startswith("drums"):
        return [Event("kick", 0.0, 0.25, 36, 0.55)]
    if part.role.startswith(("bass", "pulse", "ostinato", "taiko")):
        low = part.register[0]
        root = low + (key.tonic + chord.root - low) % 12
        return [Event(part.instrument, 0.0, bars * BEATS - 0.2, root, 0.6)]
    return []


def _span(chords: list[Chord], start: int) -> int:
    length = 1
    while start + length < len(chords) and chords[start + length] == chords[start]:
        length += 1
    return length


def _timed(score: Score, profile: Profile, part: Part, bar: int, event: Event, rng: np.random.Generator) -> Note:
    beat = event.beat
    if profile.swing and abs(beat % 1 - 0.5) < 1e-6:
        beat += profile.swing / 2
    jitter = float(np.clip(rng.normal(0.0, 0.006), -0.015, 0.015))
    start = max(0.0, (bar * BEATS + beat) * score.beat_seconds + jitter)
    spread = (hash_pan(event.midi) * 0.5) if part.role in SUSTAINED else 0.0
    return Note(event.instrument, start, event.length * score.beat_seconds, event.midi, event.velocity, part.gain,
                float(np.clip(part.pan + spread, -0.9, 0.9)), part.send)  # fmt: skip


def hash_pan(midi: float) -> float:
    """Spread a chord's notes across the stereo field: a fixed position per pitch class."""
    return ((int(midi) * 7) % 12) / 5.5 - 1.0


class _Themes:
    """The piece's melodies: theme A (kept, varied on return) and a B theme per cycle."""

    def __init__(self, profile: Profile, key: Key, prog_a: list[Chord], prog_b: list[Chord], rng: np.random.Generator):
        self.profile, self.key, self.rng = profile, key, rng
        self.prog_a, self.prog_b = prog_a, prog_b
        register, rhythm = profile.melody_register, profile.rhythm
        self.theme_a = phrase(prog_a, key, register, rhythm, rng, close=False)
        self.answer_a = phrase(prog_a, key, register, rhythm, rng, close=True)
        self.themes_b: dict[int, list[MelodyNote]] = {}

    def melody(self, section: Section, chords: list[Chord]) -> list[tuple[MelodyNote, str]]:
        primary, alternate = self.profile.melody
        if section.kind == "A":
            notes, instrument = self.theme_a, primary
        elif section.kind == "A2":
            notes, instrument = self.theme_a[: _first_bar_notes(self.theme_a, 2)] + self._tail(self.answer_a), primary
        elif section.kind == "B":
            notes, instrument = self._theme_b(section.cycle), alternate
        elif section.kind == "A3":
            notes = vary(
                self.theme_a[: _first_bar_notes(self.theme_a, 2)] + self._tail(self.answer_a), self.rng, self.key
            )
            instrument = alternate if section.cycle % 2 else primary
        elif section.kind == "outro" and section.start_bar > 0:
            tonic = _nearest_tonic(self.key, self.profile.melody_register)
            return [(MelodyNote(0.0, section.bars * BEATS - 0.5, tonic, 0.6), primary)]
        else:
            return []
        limit = section.bars * BEATS
        return [(n, instrument) for n in notes if n.beat < limit]

    def _tail(self, notes: list[MelodyNote]) -> list[MelodyNote]:
        return notes[_first_bar_notes(notes, 2) :]

    def _theme_b(self, cycle: int) -> list[MelodyNote]:
        if cycle not in self.themes_b:
            register, rhythm = self.profile.melody_register, self.profile.rhythm
            self.themes_b[cycle] = phrase(self.prog_b, self.key, register, rhythm, self.rng, close=False)
        return self.themes_b[cycle]


def _first_bar_notes(notes: list[MelodyNote], bars: int) -> int:
    """How many notes start before bar ``bars``."""
    return sum(1 for n in notes if n.beat < bars * BEATS)


def _nearest_tonic(key: Key, register: tuple[int, int]) -> int:
    low, high = register
    centre = (low + high) // 2
    return min((n for n in range(low, high + 1) if n % 12 == key.tonic), key=lambda n: abs(n - centre), default=centre)
