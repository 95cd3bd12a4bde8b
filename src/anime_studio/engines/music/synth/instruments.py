"""The synthesised instruments: each turns (MIDI pitch, held samples) into a note with its own tail."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from anime_studio.engines.music.synth.dsp import SR, Signal, adsr, noise, oscillator, partials, seconds
from anime_studio.engines.music.synth.theory import midi_to_hz

Render = Callable[[float, int], Signal]


def _arr(*values: float) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _length(n_on: int, release: float, cap: float) -> int:
    return int(min(n_on + release * SR, cap * SR))


def piano(midi: float, n_on: int) -> Signal:
    """Soft felt piano: slightly inharmonic partials, upper ones dying first, damped on release."""
    f = midi_to_hz(midi)
    k = np.arange(1, 11, dtype=np.float64)
    ratios = k * np.sqrt(1 + 0.0003 * k**2)
    base_decay = 0.45 + 0.035 * max(midi - 48, 0)
    ring = min(6.9 / base_decay, 5.0)
    n = _length(n_on, 0.3, ring)
    tone = partials(f, n, ratios, 1.0 / k**1.6, base_decay * (1 + 0.45 * (k - 1)), attack=0.004)
    damper = np.exp(-np.maximum(seconds(n) - n_on / SR, 0.0) / 0.09)
    return (tone * damper).astype(np.float32)


def harp(midi: float, n_on: int) -> Signal:
    """Plucked harp: a soft pluck that rings on whatever the note length."""
    f = midi_to_hz(midi)
    k = np.arange(1, 9, dtype=np.float64)
    base_decay = 0.7 + 0.03 * max(midi - 55, 0)
    n = int(min(6.9 / base_decay, 3.5) * SR)
    return partials(f, n, k, 1.0 / k**2.0, base_decay * (1 + 0.7 * (k - 1)), attack=0.006)


def pizzicato(midi: float, n_on: int) -> Signal:
    """Short plucked strings."""
    f = midi_to_hz(midi)
    k = np.arange(1, 7, dtype=np.float64)
    return partials(f, int(0.45 * SR), k, 1.0 / k**1.7, 7.0 * (1 + 0.5 * (k - 1)), attack=0.002)


def upright_bass(midi: float, n_on: int) -> Signal:
    """Jazz double bass: round pluck, damped when the note ends."""
    f = midi_to_hz(midi)
    n = _length(n_on, 0.1, 2.5)
    tone = partials(f, n, _arr(1, 2, 3, 4, 5), _arr(1, 0.45, 0.25, 0.1, 0.05), _arr(1.4, 2.2, 3.5, 5, 7), attack=0.006)
    damper = np.exp(-np.maximum(seconds(n) - n_on / SR, 0.0) / 0.06)
    return (tone * damper).astype(np.float32)


def bells(midi: float, n_on: int) -> Signal:
    """Celesta-like bell: a clear fundamental with faint inharmonic bar partials."""
    f = midi_to_hz(midi)
    ratios, amps = _arr(1, 2, 2.76, 4.0, 5.4), _arr(1, 0.22, 0.16, 0.05, 0.04)
    return partials(f, int(3.0 * SR), ratios, amps, _arr(1.1, 2.0, 3.2, 5.0, 7.0), attack=0.002)


def pad(midi: float, n_on: int) -> Signal:
    """Warm pad: three detuned soft oscillators, slow swell and long release."""
    f = midi_to_hz(midi)
    n = n_on + int(1.6 * SR)
    voices = sum(
        oscillator("warm", f, n, limit=10, detune_cents=c, phase=p) for c, p in ((-7, 0.0), (0, 0.3), (7, 0.6))
    )
    return (voices / 3 * adsr(n_on, n, 0.9, 1.0, 1.0, 1.6)).astype(np.float32)


def drone(midi: float, n_on: int) -> Signal:
    """Dark sustained drone with a very slow swell."""
    f = midi_to_hz(midi)
    n = n_on + int(2.0 * SR)
    voices = oscillator("warm", f, n, limit=6, detune_cents=-4) + oscillator(
        "warm", f, n, limit=6, detune_cents=4, phase=0.5
    )
    return (voices / 2 * adsr(n_on, n, 2.0, 1.0, 1.0, 2.0)).astype(np.float32)


def strings(midi: float, n_on: int) -> Signal:
    """String section: two detuned bowed voices with delayed vibrato."""
    f = midi_to_hz(midi)
    n = n_on + int(0.6 * SR)
    vibrato = (5.3, 10.0, 0.3)
    voices = oscillator("saw", f, n, limit=16, detune_cents=-5, vibrato=vibrato) + oscillator(
        "saw", f, n, limit=16, detune_cents=5, vibrato=(5.0, 9.0, 0.35), phase=0.4
    )
    return (voices / 2 * adsr(n_on, n, 0.3, 0.5, 0.85, 0.6)).astype(np.float32)


def tremolo_strings(midi: float, n_on: int) -> Signal:
    """Anxious bowed tremolo: strings with fast amplitude flutter."""
    tone = strings(midi, n_on)
    flutter = 0.65 + 0.35 * np.sin(2 * np.pi * 11.0 * seconds(len(tone)))
    return (tone * flutter).astype(np.float32)


def brass(midi: float, n_on: int) -> Signal:
    """Brass: the tone brightens during the attack, like a player's lips opening up."""
    f = midi_to_hz(midi)
    n = n_on + int(0.25 * SR)
    vibrato = (5.0, 8.0, 0.4)
    mellow = oscillator("warm", f, n, limit=12, vibrato=vibrato)
    bright = oscillator("bright", f, n, limit=14, vibrato=vibrato)
    blend = np.clip(seconds(n) / 0.15, 0.0, 1.0).astype(np.float32) * 0.6
    return ((mellow * (1 - blend) + bright * blend) * adsr(n_on, n, 0.07, 0.4, 0.8, 0.25)).astype(np.float32)


def clarinet(midi: float, n_on: int) -> Signal:
    """Woodwind: hollow odd-harmonic tone, light vibrato."""
    f = midi_to_hz(midi)
    n = n_on + int(0.08 * SR)
    tone = oscillator("reed", f, n, limit=12, vibrato=(5.0, 8.0, 0.2))
    return (tone * adsr(n_on, n, 0.03, 0.2, 0.8, 0.08)).astype(np.float32)


def flute(midi: float, n_on: int) -> Signal:
    """Soft flute: nearly sine, a breath of noise at the attack."""
    f = midi_to_hz(midi)
    n = n_on + int(0.15 * SR)
    tone = oscillator("round", f, n, limit=4, vibrato=(4.8, 10.0, 0.25))
    breath = noise("breath", int(4 * SR))[: min(n, int(4 * SR))]
    breath = np.pad(breath, (0, n - len(breath))) * np.exp(-seconds(n) / 0.12).astype(np.float32) * 0.15
    return ((tone + breath) * adsr(n_on, n, 0.06, 0.3, 0.9, 0.15)).astype(np.float32)


def saxophone(midi: float, n_on: int) -> Signal:
    """Breathy tenor-sax-like reed voice with expressive vibrato."""
    f = midi_to_hz(midi)
    n = n_on + int(0.15 * SR)
    tone = 0.7 * oscillator("saw", f, n, limit=10, vibrato=(5.2, 14.0, 0.25)) + 0.3 * oscillator(
        "reed", f, n, limit=8, vibrato=(5.2, 14.0, 0.25)
    )
    air = noise("breath", int(4 * SR))
    air = np.resize(air, n) * 0.06
    return ((tone + air) * adsr(n_on, n, 0.06, 0.4, 0.75, 0.15)).astype(np.float32)


def electric_piano(midi: float, n_on: int) -> Signal:
    """Rhodes-like FM tine: a bell-ish attack softening into a round tone."""
    f = midi_to_hz(midi)
    n = _length(n_on, 0.35, 4.0)
    t = seconds(n)
    index = 1.4 * np.exp(-t * 5.0) + 0.25
    tone = np.sin(2 * np.pi * f * t + index * np.sin(2 * np.pi * f * t))
    env = np.exp(-t * 0.9) * np.minimum(t / 0.003, 1.0) * np.exp(-np.maximum(t - n_on / SR, 0.0) / 0.1)
    return np.asarray((tone * env), dtype=np.float32)


def soft_bass(midi: float, n_on: int) -> Signal:
    """Round sine-like bass."""
    f = midi_to_hz(midi)
    n = n_on + int(0.15 * SR)
    return (oscillator("round", f, n, limit=4) * adsr(n_on, n, 0.012, 0.35, 0.7, 0.15)).astype(np.float32)


def synth_bass(midi: float, n_on: int) -> Signal:
    """Electronic bass: a filtered saw over a sub sine."""
    f = midi_to_hz(midi)
    n = n_on + int(0.08 * SR)
    tone = 0.55 * oscillator("saw", f, n, limit=7) + 0.6 * oscillator("sine", f / 2 if midi > 40 else f, n, limit=1)
    return (tone * adsr(n_on, n, 0.004, 0.18, 0.55, 0.08)).astype(np.float32)


def synth_pluck(midi: float, n_on: int) -> Signal:
    """Arpeggiator pluck: soft square with a fast decay."""
    f = midi_to_hz(midi)
    n = n_on + int(0.12 * SR)
    return (oscillator("square", f, n, limit=7) * adsr(n_on, n, 0.003, 0.12, 0.15, 0.1)).astype(np.float32)


def synth_lead(midi: float, n_on: int) -> Signal:
    """Mellow square lead with a little vibrato."""
    f = midi_to_hz(midi)
    n = n_on + int(0.12 * SR)
    tone = oscillator("square", f, n, limit=8, vibrato=(5.5, 8.0, 0.3))
    return (tone * adsr(n_on, n, 0.01, 0.3, 0.7, 0.12)).astype(np.float32)


def kick(midi: float, n_on: int) -> Signal:
    """Kick drum: a sine sweeping from ~110 Hz down to ~45 Hz."""
    t = seconds(int(0.45 * SR))
    freq = 45 + 70 * np.exp(-t / 0.04)
    body = np.sin(2 * np.pi * np.cumsum(freq) / SR) * np.exp(-t / 0.16)
    click = noise("white", len(t)) * np.exp(-t / 0.004)
    return np.asarray((body + 0.15 * click), dtype=np.float32)


def snare(midi: float, n_on: int) -> Signal:
    """Snare: a short tone under a burst of band-passed noise."""
    t = seconds(int(0.3 * SR))
    tone = np.sin(2 * np.pi * 185 * t) * np.exp(-t / 0.05)
    rattle = noise("snare", len(t)) * np.exp(-t / 0.07)
    return (0.8 * tone + 1.3 * rattle).astype(np.float32)


def hihat(midi: float, n_on: int) -> Signal:
    """Closed hi-hat."""
    t = seconds(int(0.12 * SR))
    return (2.0 * noise("hat", len(t)) * np.exp(-t / 0.025)).astype(np.float32)


def brush(midi: float, n_on: int) -> Signal:
    """Jazz brush swish."""
    t = seconds(int(0.25 * SR))
    envelope = np.minimum(t / 0.02, 1.0) * np.exp(-t / 0.07)
    return np.asarray((2.0 * noise("breath", len(t)) * envelope), dtype=np.float32)


def timpani(midi: float, n_on: int) -> Signal:
    """Timpani / taiko hit: a low drum tone with a soft mallet thud."""
    f = midi_to_hz(midi)
    t = seconds(int(2.0 * SR))
    ratios, amps = _arr(1, 1.5, 1.98, 2.44), _arr(1, 0.5, 0.25, 0.12)
    body = partials(f, len(t), ratios, amps, _arr(1.6, 2.4, 3.5, 5.0), attack=0.004)
    thud = noise("air", len(t)) * np.exp(-t / 0.05)
    return (body + 0.5 * thud).astype(np.float32)


INSTRUMENTS: dict[str, Render] = {
    "piano": piano,
    "harp": harp,
    "pizzicato": pizzicato,
    "upright_bass": upright_bass,
    "bells": bells,
    "pad": pad,
    "drone": drone,
    "strings": strings,
    "tremolo_strings": tremolo_strings,
    "brass": brass,
    "clarinet": clarinet,
    "flute": flute,
    "saxophone": saxophone,
    "electric_piano": electric_piano,
    "soft_bass": soft_bass,
    "synth_bass": synth_bass,
    "synth_pluck": synth_pluck,
    "synth_lead": synth_lead,
    "kick": kick,
    "snare": snare,
    "hihat": hihat,
    "brush": brush,
    "timpani": timpani,
}
