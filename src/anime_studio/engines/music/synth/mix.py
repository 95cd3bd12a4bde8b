"""Render a score to stereo: notes onto a dry bus and a reverb send, room reverb, wind bed."""

from __future__ import annotations

import zlib

import numpy as np
import numpy.typing as npt

from anime_studio.engines.music.synth.arrangement import Note
from anime_studio.engines.music.synth.dsp import SR, Signal, noise, pan_gains, seconds
from anime_studio.engines.music.synth.instruments import INSTRUMENTS

Stereo = npt.NDArray[np.float32]
TAIL_SECONDS = 3.5
FFT_SIZE_MIN = 1 << 14
FFT_SIZE_MAX = 1 << 20


def render_notes(notes: list[Note], n_samples: int) -> tuple[Stereo, Signal]:
    """Every note summed into a dry stereo bus and a mono reverb send; identical notes are rendered once."""
    total = n_samples + int(TAIL_SECONDS * SR)
    dry = np.zeros((2, total), dtype=np.float32)
    send = np.zeros(total, dtype=np.float32)
    cache: dict[tuple[str, float, int], Signal] = {}
    for note in notes:
        start = round(note.start * SR)
        if start >= total:
            continue
        held = max(1, round(note.length * SR))
        key = (note.instrument, note.midi, held)
        if key not in cache:
            cache[key] = _declick(INSTRUMENTS[note.instrument](note.midi, held))
        wave = cache[key]
        end = min(start + len(wave), total)
        chunk = wave[: end - start] * np.float32(note.gain * note.velocity**1.3)
        left, right = pan_gains(note.pan)
        dry[0, start:end] += chunk * np.float32(left)
        dry[1, start:end] += chunk * np.float32(right)
        send[start:end] += chunk * np.float32(note.send)
    return dry, send


def _declick(wave: Signal) -> Signal:
    """Ramp the first 1 ms and last 10 ms: a note that starts or stops off zero would click."""
    head, tail = min(len(wave), int(0.001 * SR)), min(len(wave), int(0.01 * SR))
    wave = wave.copy()
    wave[:head] *= np.linspace(0.0, 1.0, head, dtype=np.float32)
    wave[len(wave) - tail :] *= np.linspace(1.0, 0.0, tail, dtype=np.float32)
    return wave


def add_reverb(dry: Stereo, send: Signal, *, rt60: float, wet: float) -> Stereo:
    """A stereo room: the send convolved with two decorrelated, darkening noise tails."""
    left, right = (_impulse_response(rt60, channel) for channel in (0, 1))
    wet_left, wet_right = convolve(send, [left, right])
    out = dry.copy()
    out[0] += wet_left[: dry.shape[1]] * np.float32(wet)
    out[1] += wet_right[: dry.shape[1]] * np.float32(wet)
    return out


def add_air(mix: Stereo, level: float) -> None:
    """A soft, slowly breathing wind bed (peaceful scenes' 'nature sounds'), in place."""
    n = mix.shape[1]
    loop = noise("air", 20 * SR)  # the filter is circular, so the loop repeats seamlessly
    t = seconds(n)
    swell = (0.55 + 0.3 * np.sin(2 * np.pi * 0.071 * t) + 0.15 * np.sin(2 * np.pi * 0.113 * t + 1.0)).astype(np.float32)
    mix[0] += np.resize(loop, n) * swell * np.float32(level)
    mix[1] += np.resize(np.roll(loop, 7 * SR), n) * swell * np.float32(level)


def _impulse_response(rt60: float, channel: int) -> Signal:
    """Exponentially decaying noise whose highs die three times faster than its lows, after a pre-delay."""
    length = int(min(rt60, 3.5) * SR)
    rng = np.random.default_rng(zlib.crc32(f"reverb-{channel}".encode()))
    t = seconds(length)
    raw = rng.standard_normal(length)
    spectrum = np.fft.rfft(raw)
    f = np.fft.rfftfreq(length, 1 / SR)
    low = np.fft.irfft(spectrum * (f < 2500), n=length) * np.exp(-6.9 * t / rt60)
    high = np.fft.irfft(spectrum * (f >= 2500), n=length) * np.exp(-6.9 * t / (rt60 / 3))
    tail = (low + 0.5 * high) * np.minimum(t / 0.03, 1.0)
    predelay = np.zeros(int(0.02 * SR))
    response = np.concatenate([predelay, tail])
    return np.asarray((response / np.sqrt(np.sum(response**2))), dtype=np.float32)


def convolve(signal: Signal, responses: list[Signal]) -> list[Signal]:
    """Overlap-add FFT convolution of one signal with several responses (memory stays bounded)."""
    longest = max(len(r) for r in responses)
    # ~8x the response is the sweet spot for overlap-add; never more than the whole signal needs.
    size = min(max(FFT_SIZE_MIN, _pow2(8 * longest)), max(_pow2(2 * longest), FFT_SIZE_MAX))
    size = min(size, max(_pow2(len(signal) + longest), _pow2(2 * longest)))
    block = size - longest + 1
    spectra = [np.fft.rfft(r, n=size) for r in responses]
    outputs = [np.zeros(len(signal) + longest, dtype=np.float32) for _ in responses]
    for start in range(0, len(signal), block):
        piece = np.fft.rfft(signal[start : start + block], n=size)
        stop = min(start + size, len(signal) + longest)
        for spectrum, output in zip(spectra, outputs, strict=True):
            output[start:stop] += np.fft.irfft(piece * spectrum, n=size)[: stop - start].astype(np.float32)
    return outputs


def _pow2(n: int) -> int:
    return 1 << max(0, int(np.ceil(np.log2(max(n, 1)))))
