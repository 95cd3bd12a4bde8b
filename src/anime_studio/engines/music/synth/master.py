"""Mastering: BS.1770-style loudness, a look-ahead peak limiter, fades, 16-bit conversion."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from anime_studio.engines.music.synth.dsp import SR, Signal
from anime_studio.engines.music.synth.mix import Stereo, convolve

TARGET_LUFS = -14.0
CEILING_DBFS = -1.0
MAX_LIMITING_DB = 4.0
"""Quiet, peaky pieces (solo piano) stay below the target instead of being squashed."""
LIMITER_BLOCK = 256


def loudness(mix: Stereo) -> float:
    """Integrated loudness in LUFS (K-weighting, 400 ms blocks, absolute and relative gates)."""
    fir = _k_weighting_fir()
    weighted = [convolve(np.ascontiguousarray(channel), [fir])[0] for channel in mix]
    hop = int(0.1 * SR)
    hops = min(len(w) for w in weighted) // hop
    if hops < 4:
        hops_power = sum(np.mean(w.astype(np.float64) ** 2) for w in weighted)
        return float(-0.691 + 10 * np.log10(max(hops_power, 1e-12)))
    power = sum(np.mean(w[: hops * hop].astype(np.float64).reshape(hops, hop) ** 2, axis=1) for w in weighted)
    blocks = sliding_window_view(power, 4).mean(axis=1)  # 400 ms blocks, 75 % overlap
    block_lufs = -0.691 + 10 * np.log10(np.maximum(blocks, 1e-12))
    gated = blocks[block_lufs > -70.0]
    if len(gated) == 0:
        return -70.0
    relative = -0.691 + 10 * np.log10(np.mean(gated)) - 10.0
    gated = blocks[(block_lufs > -70.0) & (block_lufs > relative)]
    return float(-0.691 + 10 * np.log10(np.mean(gated)))


@lru_cache(maxsize=1)
def _k_weighting_fir() -> Signal:
    """The BS.1770 pre-filter (high shelf + high-pass) as a linear-phase FIR: only its magnitude matters here."""
    taps = 4096
    f = np.fft.rfftfreq(taps, 1 / SR)
    response = np.abs(_biquad_response(f, *_high_shelf(1681.97, 3.9998, 0.7071))) * np.abs(
        _biquad_response(f, *_high_pass(38.135, 0.5003))
    )
    impulse = np.roll(np.fft.irfft(response, n=taps), taps // 2) * np.hanning(taps)
    return impulse.astype(np.float32)


def _high_shelf(freq: float, gain_db: float, q: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    a = 10 ** (gain_db / 40)
    w = 2 * np.pi * freq / SR
    alpha = np.sin(w) / (2 * q)
    cos, root = np.cos(w), 2 * np.sqrt(a) * alpha
    b = (a * ((a + 1) + (a - 1) * cos + root), -2 * a * ((a - 1) + (a + 1) * cos), a * ((a + 1) + (a - 1) * cos - root))
    den = ((a + 1) - (a - 1) * cos + root, 2 * ((a - 1) - (a + 1) * cos), (a + 1) - (a - 1) * cos - root)
    return b, den


def _high_pass(freq: float, q: float) -> tuple[tuple[float, ...], tuple[float, ...]]:
    w = 2 * np.pi * freq / SR
    alpha, cos = np.sin(w) / (2 * q), np.cos(w)
    return ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2), (1 + alpha, -2 * cos, 1 - alpha)


def _biquad_response(f: np.ndarray, b: tuple[float, ...], a: tuple[float, ...]) -> np.ndarray:
    z = np.exp(-1j * 2 * np.pi * f / SR)
    return (b[0] + b[1] * z + b[2] * z**2) / (a[0] + a[1] * z + a[2] * z**2)


def normalise(mix: Stereo) -> tuple[Stereo, float]:
    """Gain towards the loudness target, at most ``MAX_LIMITING_DB`` into the limiter; returns (mix, gain dB)."""
    measured = loudness(mix)
    peak = float(np.max(np.abs(mix))) or 1e-9
    gain_db = TARGET_LUFS - measured
    headroom = CEILING_DBFS + MAX_LIMITING_DB - 20 * np.log10(peak)
    gain_db = float(min(gain_db, headroom))
    return mix * np.float32(10 ** (gain_db / 20)), gain_db


def limit(mix: Stereo, ceiling_dbfs: float = CEILING_DBFS) -> Stereo:
    """Look-ahead peak limiter: block gains, a widened minimum, then smoothing so it never clicks."""
    ceiling = 10 ** (ceiling_dbfs / 20)
    n = mix.shape[1]
    blocks = -(-n // LIMITER_BLOCK)
    padded = np.zeros((2, blocks * LIMITER_BLOCK), dtype=np.float32)
    padded[:, :n] = np.abs(mix)
    peaks = padded.max(axis=0).reshape(blocks, LIMITER_BLOCK).max(axis=1)
    gains = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-9))
    widened = sliding_window_view(np.pad(gains, 4, mode="edge"), 9).min(axis=1)
    smooth = sliding_window_view(np.pad(widened, 2, mode="edge"), 5).mean(axis=1)
    centres = (np.arange(blocks) + 0.5) * LIMITER_BLOCK
    curve = np.interp(np.arange(n), centres, smooth).astype(np.float32)
    return np.asarray(np.clip(mix * curve, -ceiling, ceiling), dtype=np.float32)


def fade(mix: Stereo, fade_in: float, fade_out: float) -> Stereo:
    """Raised-cosine fade in and out (the out-fade reaches silence on the last sample)."""
    n = mix.shape[1]
    envelope = np.ones(n, dtype=np.float32)
    n_in, n_out = min(int(fade_in * SR), n), min(int(fade_out * SR), n)
    if n_in > 0:
        envelope[:n_in] = np.sin(np.linspace(0, np.pi / 2, n_in)) ** 2
    if n_out > 0:
        envelope[n - n_out :] *= np.cos(np.linspace(0, np.pi / 2, n_out)) ** 2
    return mix * envelope


def to_pcm16(mix: Stereo) -> bytes:
    """Interleaved little-endian 16-bit frames."""
    frames = np.round(np.clip(mix.T, -1.0, 1.0) * 32767.0).astype("<i2")
    return frames.tobytes()
