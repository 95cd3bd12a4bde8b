"""Numerical 'listening' helpers for engine tests: read WAVs, loudness per window, pitch, tempo, brightness."""

from __future__ import annotations

import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

Samples = npt.NDArray[np.float64]


@dataclass
class Wav:
    samples: Samples
    """Shape (frames, channels), floats in -1..1."""
    sample_rate: int
    channels: int
    sample_width: int

    @property
    def duration(self) -> float:
        return len(self.samples) / self.sample_rate

    @property
    def mono(self) -> Samples:
        return self.samples.mean(axis=1)


def read_wav(path: Path) -> Wav:
    with wave.open(str(path)) as w:
        width, channels, rate = w.getsampwidth(), w.getnchannels(), w.getframerate()
        raw = w.readframes(w.getnframes())
    assert width == 2, "expected 16-bit PCM"
    data = np.frombuffer(raw, dtype="<i2").astype(np.float64) / 32768.0
    return Wav(data.reshape(-1, channels), rate, channels, width)


def rms_db(samples: Samples) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(samples**2)) + 1e-12))


def window_rms_db(wav: Wav, start: float, end: float) -> float:
    a, b = int(start * wav.sample_rate), int(end * wav.sample_rate)
    return rms_db(wav.samples[a:b])


def peak_dbfs(wav: Wav) -> float:
    return float(20 * np.log10(np.max(np.abs(wav.samples)) + 1e-12))


def fundamental(wav: Wav, *, low: float = 60.0, high: float = 400.0) -> float:
    """Median F0 of the loud, periodic 40 ms frames (autocorrelation)."""
    x, rate = wav.mono, wav.sample_rate
    frame, level = int(0.04 * rate), np.sqrt(np.mean(x**2))
    estimates = []
    for start in range(0, len(x) - frame, frame // 2):
        seg = x[start : start + frame] - x[start : start + frame].mean()
        if np.sqrt(np.mean(seg**2)) < 0.7 * level:
            continue
        ac = np.correlate(seg, seg, "full")[frame - 1 :]
        lo, hi = int(rate / high), int(rate / low)
        lag = lo + int(np.argmax(ac[lo:hi]))
        if ac[lag] > 0.3 * ac[0]:
            estimates.append(rate / lag)
    assert estimates, "no voiced frames found"
    return float(np.median(estimates))


def _spectrogram(wav: Wav, n: int = 2048, hop: int = 512) -> tuple[Samples, Samples]:
    frames = np.lib.stride_tricks.sliding_window_view(wav.mono, n)[::hop] * np.hanning(n)
    return np.abs(np.fft.rfft(frames, axis=1)), np.fft.rfftfreq(n, 1 / wav.sample_rate)


def spectral_centroid(wav: Wav) -> float:
    """Magnitude-weighted mean frequency: how bright the sound is."""
    magnitude, freqs = _spectrogram(wav)
    return float((magnitude * freqs).sum() / magnitude.sum())


def tempo(wav: Wav) -> float:
    """Beats per minute from the autocorrelation of the onset (spectral flux) envelope, 50 to 200 bpm."""
    magnitude, _ = _spectrogram(wav)
    flux = np.maximum(np.diff(np.log1p(100 * magnitude), axis=0), 0).sum(axis=1)
    flux = np.maximum(flux - np.convolve(flux, np.ones(16) / 16, mode="same"), 0)
    ac = np.correlate(flux, flux, "full")[len(flux) - 1 :]
    lags = np.arange(len(ac)) * 512 / wav.sample_rate
    usable = (lags > 60 / 200) & (lags < 60 / 50)
    return float(60 / lags[int(np.argmax(np.where(usable, ac, 0)))])
