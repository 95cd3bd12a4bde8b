"""Level of an audio file (RMS in dBFS over its non-silent part), to bring dialogue lines to one level."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

SILENCE_DBFS = -60.0


def speech_level(path: Path) -> float:
    """RMS level in dBFS of the 50 ms windows that are not silence (pauses would drag a plain RMS down)."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate)
        chunks = [r.to_ndarray().reshape(-1) for f in container.decode(stream) for r in resampler.resample(f)]
        rate = stream.rate
    samples = np.concatenate(chunks) if chunks else np.zeros(1, dtype=np.float32)
    window = max(1, rate // 20)
    usable = samples[: len(samples) // window * window].reshape(-1, window) if len(samples) >= window else samples[None]
    power = np.mean(usable.astype(np.float64) ** 2, axis=1)
    loud = power[10 * np.log10(power + 1e-12) > SILENCE_DBFS]
    if loud.size == 0:
        return SILENCE_DBFS
    return float(10 * np.log10(np.mean(loud)))


def gain_to(path: Path, target_dbfs: float, *, limit: tuple[float, float] = (-12.0, 18.0)) -> float:
    """The gain in dB that brings ``path`` to ``target_dbfs`` (bounded, so silence is never boosted wildly)."""
    level = speech_level(path)
    if level <= SILENCE_DBFS:
        return 0.0
    return float(np.clip(target_dbfs - level, *limit))
