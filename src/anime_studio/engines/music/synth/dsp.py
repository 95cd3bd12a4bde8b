"""Signal building blocks: envelopes, band-limited wavetable oscillators, additive partials, filtered noise."""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np
import numpy.typing as npt

SR = 44_100
TABLE_SIZE = 4096
Signal = npt.NDArray[np.float32]
Float64s = npt.NDArray[np.float64]

# Harmonic amplitude laws of the wavetables; a table holds only harmonics below Nyquist for its note.
SPECTRA: dict[str, tuple[float, float]] = {
    # name: (rolloff exponent, weight of even harmonics)
    "sine": (99.0, 1.0),
    "warm": (1.7, 1.0),
    "saw": (1.15, 1.0),
    "bright": (0.9, 1.0),
    "square": (1.0, 0.0),
    "reed": (1.1, 0.25),
    "round": (2.6, 1.0),
}


def seconds(n: int) -> Float64s:
    """Sample times of ``n`` samples."""
    return np.arange(n, dtype=np.float64) / SR


def adsr(n_on: int, n_total: int, attack: float, decay: float, sustain: float, release: float) -> Signal:
    """Attack/decay/sustain while the note is held (``n_on`` samples), then an exponential release."""
    t = seconds(n_total)
    held = np.minimum(t, n_on / SR)
    env = np.where(held < attack, held / max(attack, 1e-4), 1.0)
    after = np.maximum(held - attack, 0.0)
    env = env * (sustain + (1.0 - sustain) * np.exp(-after / max(decay, 1e-4)))
    level_at_off = env[min(n_on, n_total) - 1] if n_on > 0 else 0.0
    tail = np.maximum(t - n_on / SR, 0.0)
    released = level_at_off * np.exp(-tail * 6.9 / max(release, 1e-3))
    return np.where(t < n_on / SR, env, released).astype(np.float32)


@lru_cache(maxsize=512)
def wavetable(spectrum: str, harmonics: int) -> Signal:
    """One cycle with ``harmonics`` partials of the named spectrum (plus a wrap-around sample)."""
    rolloff, even = SPECTRA[spectrum]
    bins = np.zeros(TABLE_SIZE // 2 + 1, dtype=np.complex128)
    k = np.arange(1, harmonics + 1)
    amps = 1.0 / k**rolloff
    amps[1::2] *= even
    bins[1 : harmonics + 1] = -1j * amps * TABLE_SIZE / 2  # sine phase
    cycle = np.fft.irfft(bins, n=TABLE_SIZE)
    cycle /= np.max(np.abs(cycle)) or 1.0
    return np.append(cycle, cycle[0]).astype(np.float32)


def harmonics_for(freq: float, limit: int) -> int:
    """How many harmonics stay below ~0.45 x the sample rate (no aliasing)."""
    return max(1, min(limit, int(0.45 * SR / max(freq, 1.0))))


def oscillator(
    spectrum: str,
    freq: float,
    n: int,
    *,
    limit: int = 24,
    detune_cents: float = 0.0,
    vibrato: tuple[float, float, float] = (0.0, 0.0, 0.0),
    phase: float = 0.0,
) -> Signal:
    """A wavetable oscillator; ``vibrato`` is (rate Hz, depth cents, onset delay s)."""
    base = freq * 2.0 ** (detune_cents / 1200.0)
    rate, depth, delay = vibrato
    if depth > 0:
        t = seconds(n)
        ramp = np.clip((t - delay) / 0.4, 0.0, 1.0)
        inst = base * 2.0 ** (depth * ramp * np.sin(2 * np.pi * rate * t) / 1200.0)
        cycles = phase + np.cumsum(inst) / SR
    else:
        cycles = phase + np.arange(n, dtype=np.float64) * (base / SR)
    table = wavetable(spectrum, harmonics_for(base, limit))
    position = (cycles - np.floor(cycles)) * TABLE_SIZE
    index = position.astype(np.int64)
    frac = (position - index).astype(np.float32)
    return np.asarray(table[index] * (1.0 - frac) + table[index + 1] * frac, dtype=np.float32)


def partials(
    freq: float, n: int, ratios: Float64s, amps: Float64s, decays: Float64s, *, attack: float = 0.002
) -> Signal:
    """Additive synthesis: exponentially decaying sine partials (piano, harp, bells, plucks)."""
    keep = ratios * freq < 0.45 * SR
    ratios, amps, decays = ratios[keep], amps[keep], decays[keep]
    t = seconds(n)
    phases = np.outer(ratios * 2 * np.pi * freq, t)
    sound = (amps[:, None] * np.exp(-np.outer(decays, t)) * np.sin(phases)).sum(axis=0)
    ramp = np.minimum(t / attack, 1.0) if attack > 0 else 1.0
    return np.asarray((sound * ramp), dtype=np.float32)


@lru_cache(maxsize=32)
def noise(kind: str, n: int) -> Signal:
    """A fixed, spectrally shaped noise sample (``white``, ``pink``, ``breath``, ``air``).

    Generated from a constant seed: every render of the same request uses the same noise.
    """
    rng = np.random.default_rng(zlib.crc32(kind.encode()))  # never hash(): it changes per process
    white = rng.standard_normal(n)
    spectrum = np.fft.rfft(white)
    f = np.asarray(np.fft.rfftfreq(n, 1 / SR), dtype=np.float64)
    shaped = np.fft.irfft(spectrum * _noise_shape(kind, f), n=n)
    shaped /= np.max(np.abs(shaped)) or 1.0
    return shaped.astype(np.float32)


def _noise_shape(kind: str, f: Float64s) -> Float64s:
    safe = np.maximum(f, 20.0)
    if kind == "pink":
        return np.asarray(1.0 / np.sqrt(safe / 20.0))
    if kind == "breath":  # a soft band around 1.5-4 kHz
        return np.asarray(np.exp(-(((np.log2(safe / 2500.0)) / 0.9) ** 2)))
    if kind == "air":  # low, dark rumble of wind
        return np.asarray(np.exp(-(((np.log2(safe / 350.0)) / 1.3) ** 2)))
    if kind == "snare":
        return np.asarray(np.exp(-(((np.log2(safe / 3000.0)) / 1.4) ** 2)))
    if kind == "hat":
        return np.asarray(np.clip((safe - 6000.0) / 3000.0, 0.0, 1.0) * np.exp(-safe / 16000.0))
    return np.ones_like(f)


def pan_gains(pan: float) -> tuple[float, float]:
    """Constant-power pan, ``-1`` left … ``+1`` right."""
    angle = (np.clip(pan, -1.0, 1.0) + 1.0) * np.pi / 4
    return float(np.cos(angle)), float(np.sin(angle))
