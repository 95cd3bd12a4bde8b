"""Accompaniment patterns: what a part plays in one bar, given the chord and the section's intensity."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from anime_studio.engines.music.synth.theory import Chord, Key, bass_note, voice_chord


@dataclass(frozen=True)
class Event:
    """A note in beats, relative to the bar it was written for."""

    instrument: str
    beat: float
    length: float
    midi: float
    velocity: float


@dataclass(frozen=True)
class Bar:
    """Everything a pattern may look at."""

    chord: Chord
    next_chord: Chord
    key: Key
    instrument: str
    register: tuple[int, int]
    beats: int
    intensity: float
    index: int
    """Bar number inside its section."""
    section_bars: int
    span: int
    """Bars the chord lasts from here (0 when this bar continues the previous bar's chord)."""
    rng: np.random.Generator

    @property
    def last(self) -> bool:
        return self.index == self.section_bars - 1

    @property
    def voicing(self) -> tuple[int, ...]:
        low, high = self.register
        return voice_chord(self.chord, self.key, low=low, high=high, previous=None)

    @property
    def root(self) -> int:
        return bass_note(self.chord, self.key, low=self.register[0])

    def tones(self) -> list[int]:
        """Every chord tone inside the register, low to high."""
        low, high = self.register
        classes = set(self.chord.pitch_classes(self.key))
        return [n for n in range(low, high + 1) if n % 12 in classes]

    def note(self, beat: float, length: float, midi: float, velocity: float, instrument: str = "") -> Event:
        jitter = 1.0 + float(self.rng.normal(0.0, 0.05))
        level = velocity * (0.75 + 0.35 * self.intensity) * jitter
        return Event(instrument or self.instrument, beat, length, midi, float(np.clip(level, 0.05, 1.0)))


Pattern = Callable[[Bar], list[Event]]


def _third_fifth(bar: Bar) -> tuple[int, int]:
    intervals = bar.chord.intervals
    return intervals[1], intervals[2]


def pad(bar: Bar) -> list[Event]:
    """Sustained chord for as long as the chord lasts."""
    if bar.span == 0:
        return []
    length = bar.span * bar.beats - 0.05
    return [bar.note(0, length, n, 0.7) for n in bar.voicing]


def drone(bar: Bar) -> list[Event]:
    """Tonic and fifth held through the whole section, whatever the chords do above."""
    if bar.index != 0:
        return []
    low = bar.register[0]
    tonic = low + (bar.key.tonic - low) % 12
    length = bar.section_bars * bar.beats - 0.05
    return [bar.note(0, length, tonic, 0.8), bar.note(0, length, tonic + 7, 0.45)]


def harp_roll(bar: Bar) -> list[Event]:
    """Rising eighth-note arpeggio that turns back at the top."""
    tones = bar.tones()
    start = int(bar.rng.integers(0, max(1, len(tones) // 3)))
    run = tones[start : start + 6] or tones
    order = run + run[-2:0:-1]
    return [bar.note(i * 0.5, 1.5, order[i % len(order)], 0.75 - 0.1 * (i % 2)) for i in range(bar.beats * 2)]


def arp_broken(bar: Bar) -> list[Event]:
    """Left-hand piano: root, fifth, octave, tenth … in eighths."""
    root = bar.root
    third, fifth = _third_fifth(bar)
    shape = (0, fifth, 12, 12 + third, 12 + fifth, 12 + third, 12, fifth)
    return [bar.note(i * 0.5, 1.0, root + shape[i % 8], 0.8 if i == 0 else 0.55) for i in range(bar.beats * 2)]


def arp_quarters(bar: Bar) -> list[Event]:
    """Sparse left hand: one chord tone per beat."""
    root = bar.root
    third, fifth = _third_fifth(bar)
    shape = (0, fifth, 12 + third, fifth)
    return [bar.note(i, 1.8, root + shape[i % 4], 0.75 if i == 0 else 0.5) for i in range(bar.beats)]


def arp16(bar: Bar) -> list[Event]:
    """Driving sixteenth-note arpeggio."""
    tones = bar.tones()[:4] or [bar.root + 12]
    cycle = [*tones, tones[0] + 12, *tones[-2:0:-1]]
    return [bar.note(i * 0.25, 0.22, cycle[i % len(cycle)], 0.8 if i % 4 == 0 else 0.5) for i in range(bar.beats * 4)]


def bass_whole(bar: Bar) -> list[Event]:
    """Root held for the bar."""
    return [bar.note(0, bar.beats - 0.1, bar.root, 0.8)]


def bass_half(bar: Bar) -> list[Event]:
    """Root then fifth, in halves."""
    fifth = bar.root + 7 if bar.root + 7 <= bar.register[1] else bar.root - 5
    half = bar.beats / 2
    return [bar.note(0, half - 0.1, bar.root, 0.85), bar.note(half, half - 0.1, fifth, 0.7)]


def pulse8(bar: Bar) -> list[Event]:
    """Nervous repeated eighths on the root."""
    return [bar.note(i * 0.5, 0.35, bar.root, 0.8 if i % 4 == 0 else 0.5) for i in range(bar.beats * 2)]


def bass_drive(bar: Bar) -> list[Event]:
    """Rock eighths with octave pops."""
    events = []
    for i in range(bar.beats * 2):
        octave = 12 if i % 4 == 3 and bar.intensity > 0.5 else 0
        events.append(bar.note(i * 0.5, 0.42, bar.root + octave, 0.85 if i % 2 == 0 else 0.65))
    return events


def bass_oompah(bar: Bar) -> list[Event]:
    """Oom (root) … pah … oom (fifth)."""
    fifth = bar.root + 7 if bar.root + 7 <= bar.register[1] else bar.root - 5
    return [bar.note(0, 0.6, bar.root, 0.9), bar.note(bar.beats / 2, 0.6, fifth, 0.75)]


def pizz_offbeat(bar: Bar) -> list[Event]:
    """Short chords on the off beats (the 'pah')."""
    return [bar.note(beat, 0.3, n, 0.6) for beat in range(1, bar.beats, 2) for n in bar.voicing]


def bass_walk(bar: Bar) -> list[Event]:
    """Walking bass: root, chord tones, chromatic approach into the next chord."""
    third, fifth = _third_fifth(bar)
    target = bass_note(bar.next_chord, bar.key, low=bar.register[0])
    approach = target - 1 if bar.rng.random() < 0.5 else target + 1
    line = [bar.root, bar.root + third, bar.root + fifth, approach]
    return [bar.note(i, 0.9, line[i % 4], 0.85 if i == 0 else 0.7) for i in range(bar.beats)]


def bass_syncopated(bar: Bar) -> list[Event]:
    """Laid-back groove: pushes ahead of beats 3 and 4."""
    fifth = bar.root + 7
    hits = (
        (0.0, 1.2, bar.root, 0.9),
        (1.5, 0.4, bar.root, 0.6),
        (2.5, 0.4, fifth, 0.7),
        (3.0, 0.8, bar.root + 12, 0.65),
    )
    return [bar.note(b, length, n, v) for b, length, n, v in hits if b < bar.beats]


def comp_jazz(bar: Bar) -> list[Event]:
    """Charleston-style comping."""
    hits = ((0.0, 1.2), (1.5, 0.9)) if bar.index % 2 == 0 else ((0.5, 1.0), (2.5, 1.2))
    return [bar.note(b, length, n, 0.55) for b, length in hits for n in bar.voicing]


def stabs(bar: Bar) -> list[Event]:
    """Short brass stabs."""
    return [bar.note(b, 0.35, n, 0.7) for b in (0.0, 2.5) for n in bar.voicing]


def ostinato8(bar: Bar) -> list[Event]:
    """Repeated eighths alternating root and fifth."""
    root = bar.root + 12 if bar.root + 19 <= bar.register[1] else bar.root
    return [
        bar.note(i * 0.5, 0.4, root + (7 if i % 2 else 0), 0.7 if i % 2 == 0 else 0.5) for i in range(bar.beats * 2)
    ]


def bells_sparse(bar: Bar) -> list[Event]:
    """One or two high chord tones, now and then."""
    tones = bar.tones()
    events = []
    for beat in (0.0, 2.5):
        if bar.rng.random() < 0.45 and tones:
            events.append(bar.note(beat, 2.0, tones[int(bar.rng.integers(0, len(tones)))], 0.6))
    return events


def bells_double(bar: Bar) -> list[Event]:
    """Glockenspiel accents on the strong beats."""
    tones = bar.tones()
    return [bar.note(b, 1.0, tones[-1 - i % 2], 0.55) for i, b in enumerate((0.0, 2.0))] if tones else []


def timpani_bar(bar: Bar) -> list[Event]:
    """A hit on the downbeat; a roll into the next section."""
    events = [bar.note(0, 1.0, bar.root, 0.85)]
    if bar.last:
        events += [bar.note(bar.beats - 2 + i * 0.25, 0.3, bar.root, 0.3 + 0.07 * i) for i in range(8)]
    return events


def taiko(bar: Bar) -> list[Event]:
    """Heavy drum pattern on root and fifth."""
    hits = ((0.0, 1.0, 0), (1.5, 0.6, 0), (2.0, 0.55, 7), (3.0, 0.8, 0))
    return [bar.note(b, 0.5, bar.root + off, v) for b, v, off in hits]


def hits(bar: Bar) -> list[Event]:
    """Dramatic hits at section edges."""
    events = [bar.note(0, 1.0, bar.root, 1.0)] if bar.index == 0 else []
    if bar.last:
        events.append(bar.note(bar.beats - 0.5, 0.5, bar.root, 0.8))
    return events


def _kit(bar: Bar, hits: tuple[tuple[str, float, float], ...]) -> list[Event]:
    return [bar.note(beat, 0.25, 60, velocity, instrument) for instrument, beat, velocity in hits if beat < bar.beats]


def drums_rock(bar: Bar) -> list[Event]:
    """Kick on 1 and 3, snare on 2 and 4, eighth hats; a fill before each new section."""
    pattern = [("kick", 0.0, 0.9), ("kick", 2.0, 0.85), ("snare", 1.0, 0.7), ("snare", 3.0, 0.75)]
    if bar.intensity > 0.7:
        pattern.append(("kick", 2.5, 0.6))
    pattern += [("hihat", i * 0.5, 0.45 if i % 2 == 0 else 0.3) for i in range(bar.beats * 2)]
    if bar.last:
        pattern += [("snare", 3.0 + i * 0.25, 0.4 + 0.1 * i) for i in range(4)]
    return _kit(bar, tuple(pattern))


def drums_heavy(bar: Bar) -> list[Event]:
    """Half-time heavy beat with soft sixteenth hats."""
    pattern = [("kick", 0.0, 1.0), ("kick", 0.75, 0.7), ("kick", 2.5, 0.8), ("snare", 1.0, 0.8), ("snare", 3.0, 0.85)]
    pattern += [("hihat", i * 0.25, 0.3 if i % 2 == 0 else 0.18) for i in range(bar.beats * 4)]
    return _kit(bar, tuple(pattern))


def drums_jazz(bar: Bar) -> list[Event]:
    """Ride pattern on the hats, brushes on 2 and 4, a feathered kick."""
    pattern = [("hihat", b, v) for b, v in ((0.0, 0.4), (1.0, 0.45), (1.5, 0.3), (2.0, 0.4), (3.0, 0.45), (3.5, 0.3))]
    pattern += [("brush", 1.0, 0.6), ("brush", 3.0, 0.6), ("kick", 0.0, 0.45)]
    return _kit(bar, tuple(pattern))


def drums_light(bar: Bar) -> list[Event]:
    """Light, bouncy percussion."""
    pattern = [("brush", 0.0, 0.5), ("brush", 2.0, 0.5), ("hihat", 1.0, 0.3), ("hihat", 3.0, 0.3), ("hihat", 3.5, 0.2)]
    return _kit(bar, tuple(pattern))


PATTERNS: dict[str, Pattern] = {
    "pad": pad,
    "drone": drone,
    "harp_roll": harp_roll,
    "arp_broken": arp_broken,
    "arp_quarters": arp_quarters,
    "arp16": arp16,
    "bass_whole": bass_whole,
    "bass_half": bass_half,
    "pulse8": pulse8,
    "bass_drive": bass_drive,
    "bass_oompah": bass_oompah,
    "pizz_offbeat": pizz_offbeat,
    "bass_walk": bass_walk,
    "bass_syncopated": bass_syncopated,
    "comp_jazz": comp_jazz,
    "stabs": stabs,
    "ostinato8": ostinato8,
    "bells_sparse": bells_sparse,
    "bells_double": bells_double,
    "timpani_bar": timpani_bar,
    "taiko": taiko,
    "hits": hits,
    "drums_rock": drums_rock,
    "drums_heavy": drums_heavy,
    "drums_jazz": drums_jazz,
    "drums_light": drums_light,
}
