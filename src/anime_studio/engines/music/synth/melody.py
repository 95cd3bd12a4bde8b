"""Seeded melodies: four-bar phrases over a progression, with a repeated motif and a cadence."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from anime_studio.engines.music.synth.theory import Chord, Key

# Rhythm cells of one 4/4 bar, in beats; a negative length is a rest.
RHYTHMS: dict[str, tuple[tuple[float, ...], ...]] = {
    "slow": ((2, 2), (3, 1), (4,), (1, 1, 2), (-1, 1, 2), (2, 1, 1), (1.5, 0.5, 2)),
    "flowing": ((1, 1, 1, 1), (1.5, 0.5, 1, 1), (2, 1, 1), (1, 1, 2), (0.5, 0.5, 1, 2), (3, 1)),
    "lively": (
        (0.5, 0.5, 0.5, 0.5, 1, 1),
        (1, 0.5, 0.5, 1, 1),
        (0.5, 0.5, 1, 0.5, 0.5, 1),
        (1, 1, 0.5, 0.5, 1),
        (-0.5, 0.5, 0.5, 0.5, 1, 1),
    ),
    "sparse": ((-2, 2), (4,), (-1, 3), (2, -2), (-3, 1), (3, -1)),
    "erratic": (
        (0.75, 0.25, 0.5, 0.5, -1, 1),
        (0.25, 0.25, 0.5, 1, -0.5, 1.5),
        (1.5, 0.25, 0.25, -1, 1),
        (-0.5, 0.5, 0.25, 0.75, 2),
    ),
    "fanfare": ((0.75, 0.25, 1, 2), (1, 0.5, 0.5, 2), (1.5, 0.5, 2), (0.5, 0.5, 1, 1, 1), (3, 1)),
    "syncopated": ((-0.5, 1, 0.5, 1, 1), (1.5, 1, 1.5), (-1, 0.5, 0.5, 2), (0.5, 1, 0.5, 2), (2.5, 1.5)),
}
CADENCES: dict[str, tuple[tuple[float, ...], ...]] = {
    "slow": ((4,), (2, 2)),
    "flowing": ((2, 2), (1, 3)),
    "lively": ((1, 1, 2), (0.5, 0.5, 1, 2)),
    "sparse": ((4,), (-2, 2)),
    "erratic": ((0.5, 0.5, 3), (-1, 3)),
    "fanfare": ((0.75, 0.25, 3), (4,)),
    "syncopated": ((-0.5, 3.5), (1.5, 2.5)),
}
_STEPS = np.array([-3, -2, -1, 0, 1, 2, 3])
_STEP_WEIGHTS = np.array([1, 3, 6, 1, 6, 3, 1], dtype=np.float64)


@dataclass(frozen=True)
class MelodyNote:
    beat: float
    """From the start of the phrase."""
    length: float
    midi: int
    velocity: float


def phrase(
    chords: list[Chord], key: Key, register: tuple[int, int], rhythm: str, rng: np.random.Generator, *, close: bool
) -> list[MelodyNote]:
    """A phrase over ``chords`` (one per bar): bar 3 repeats bar 1's rhythm and steps, bar 4 cadences.

    Pitches follow a seeded contour (arch, rise, fall or wave) by mostly stepwise motion; strong beats
    land on chord tones and a leap is answered by a step back. ``close`` ends on the tonic (a full
    stop); otherwise on a chord tone (a comma).
    """
    cells_all = RHYTHMS.get(rhythm, RHYTHMS["flowing"])
    first, second = (cells_all[int(i)] for i in rng.integers(0, len(cells_all), size=2))
    cadence = CADENCES.get(rhythm, CADENCES["flowing"])[int(rng.integers(0, 2))]
    plan = [first, second, first, cadence][: len(chords)]
    contour = _CONTOURS[int(rng.integers(0, len(_CONTOURS)))]
    start = _start_note(chords[0], key, register, rng)
    current, leap = start, 0
    motif: list[int] = []
    notes: list[MelodyNote] = []
    for bar, (cell, chord) in enumerate(zip(plan, chords, strict=False)):
        beat = 0.0
        for position, length in enumerate(cell):
            if length > 0:
                if bar == 2 and position < len(motif):
                    step = motif[position]
                else:
                    target = start + contour((bar * 4 + beat) / (4 * len(plan)))
                    step = _choose_step(current, target, leap, rng)
                if bar == 0:
                    motif.append(step)
                moved = _move(current, step, chord, key, register, strong=beat % 2 == 0)
                leap, current = moved - current, moved
                notes.append(MelodyNote(bar * 4 + beat, length, current, _velocity(bar, beat)))
            beat += abs(length)
    if notes:
        last = notes[-1]
        notes[-1] = replace(last, midi=_cadence_note(chords[-1], key, last.midi, register, close=close))
    return notes


_CONTOURS = (
    lambda x: 5.0 * float(np.sin(np.pi * x)),  # arch
    lambda x: -2.0 + 7.0 * x,  # rise
    lambda x: 4.0 - 8.0 * x,  # fall
    lambda x: 3.5 * float(np.sin(2 * np.pi * x)),  # wave
)


def _choose_step(current: int, target: float, leap: int, rng: np.random.Generator) -> int:
    """A scale step (-3…3) drawn towards the contour; after a leap, a step back the other way."""
    wanted = target - current
    weights = _STEP_WEIGHTS * np.exp(-np.abs(wanted - 2.0 * _STEPS) / 5.0)
    if abs(leap) >= 5:
        weights = weights * np.where(np.sign(_STEPS) == np.sign(leap), 0.15, 1.0)
    return int(rng.choice(_STEPS, p=weights / weights.sum()))


def _move(current: int, step: int, chord: Chord, key: Key, register: tuple[int, int], *, strong: bool) -> int:
    """Move ``step`` notes along the chord-scale; strong beats settle on the nearest chord tone that way."""
    scale = _chord_scale(chord, key)
    candidates = [n for n in range(register[0], register[1] + 1) if n % 12 in scale]
    index = min(range(len(candidates)), key=lambda i: abs(candidates[i] - current))
    moved = candidates[int(np.clip(index + step, 0, len(candidates) - 1))]
    if not strong:
        return moved
    classes = set(chord.pitch_classes(key))
    tones = [n for n in range(register[0], register[1] + 1) if n % 12 in classes]
    best = min(tones, key=lambda n: (abs(n - moved), -np.sign(step) * n))
    if best == current and step != 0:  # keep moving: a chord tone further along the step's direction
        onward = [n for n in tones if (n - current) * step > 0]
        best = min(onward, key=lambda n: abs(n - current)) if onward else best
    return best


def vary(notes: list[MelodyNote], rng: np.random.Generator, key: Key) -> list[MelodyNote]:
    """A variation: some long notes gain a neighbour-note ornament; the shape stays recognisable."""
    scale = {(key.tonic + s) % 12 for s in key.scale}
    varied: list[MelodyNote] = []
    for note in notes:
        if note.length >= 2 and note is not notes[-1] and rng.random() < 0.5:
            neighbour = note.midi + 2 if (note.midi + 2) % 12 in scale else note.midi + 1
            half = note.length / 2
            varied += [replace(note, length=half), replace(note, beat=note.beat + half, length=half, midi=neighbour)]
        else:
            varied.append(note)
    return varied


def _start_note(chord: Chord, key: Key, register: tuple[int, int], rng: np.random.Generator) -> int:
    low, high = register
    centre = low + (high - low) * float(rng.uniform(0.35, 0.6))
    return _fit(round(centre), chord, key, strong=True)


def _fit(note: int, chord: Chord, key: Key, *, strong: bool) -> int:
    """Snap to the nearest chord tone on strong beats, to the nearest chord-scale note otherwise."""
    allowed = set(chord.pitch_classes(key)) if strong else _chord_scale(chord, key)
    for distance in range(7):
        for candidate in (note - distance, note + distance):
            if candidate % 12 in allowed:
                return candidate
    return note


def _chord_scale(chord: Chord, key: Key) -> set[int]:
    """The key's scale, with the chord's altered tones (the raised 7th of V in minor…) replacing their neighbours."""
    chord_tones = set(chord.pitch_classes(key))
    scale = {(key.tonic + s) % 12 for s in key.scale}
    altered = chord_tones - scale
    clashing = {pc for pc in scale if any((pc - t) % 12 in (1, 11) for t in altered)}
    return (scale - clashing) | chord_tones


def _cadence_note(chord: Chord, key: Key, near: int, register: tuple[int, int], *, close: bool) -> int:
    """The tonic (or, for an open phrase, a chord tone) nearest the last note, preferring to fall onto it."""
    targets = (
        {key.tonic % 12} if close and key.tonic % 12 in chord.pitch_classes(key) else set(chord.pitch_classes(key))
    )
    choices = [n for n in range(max(near - 7, register[0]), min(near + 8, register[1] + 1)) if n % 12 in targets]
    return min(choices, key=lambda n: (abs(n - near), n > near), default=near)


def _clamp(note: int, register: tuple[int, int]) -> int:
    low, high = register
    while note > high:
        note -= 12
    while note < low:
        note += 12
    return note


def _velocity(bar: int, beat: float) -> float:
    arc = (0.8, 0.9, 0.85, 0.75)[min(bar, 3)]
    return arc * (1.0 if beat % 2 == 0 else 0.85)
