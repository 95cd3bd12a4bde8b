"""Shared helpers for benchmarks: timing, media fixtures made with the bundled ffmpeg."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from anime_studio.media.ffmpeg import ffmpeg_exe


def ffmpeg(*args: str | Path) -> None:
    subprocess.run([ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error", *map(str, args)], check=True)


def clip(path: Path, seconds: float, size: str = "1280x720", fps: int = 24, audio: bool = False) -> Path:
    """A moving test picture (x264, yuv420p), optionally with a stereo AAC tone."""
    args: list[str | Path] = ["-f", "lavfi", "-i", f"testsrc2=s={size}:r={fps}"]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=f=220:sample_rate=48000", "-ac", "2", "-c:a", "aac", "-b:a", "160k"]
    args += ["-t", str(seconds), "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p", path]
    ffmpeg(*args)
    return path


def tone(path: Path, seconds: float, freq: int = 440) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=frequency={freq}:sample_rate=22050", "-t", str(seconds), path)
    return path


async def alternate(
    ours: Callable[[], Awaitable[None]], reference: Callable[[], Awaitable[None]], rounds: int
) -> tuple[float, float]:
    """Median seconds of each, run alternately so machine noise hits both equally."""
    times: dict[str, list[float]] = {"ours": [], "reference": []}
    for _ in range(rounds):
        for name, job in (("reference", reference), ("ours", ours)):
            started = time.perf_counter()
            await job()
            times[name].append(time.perf_counter() - started)
    return statistics.median(times["ours"]), statistics.median(times["reference"])
