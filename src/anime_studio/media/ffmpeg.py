"""Run the ffmpeg shipped in the ``imageio-ffmpeg`` wheel, with progress and clear errors."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
from collections.abc import AsyncIterator, Sequence
from functools import lru_cache
from pathlib import Path

from anime_studio.engines.base import EngineError, Progress

_TIME = re.compile(rb"out_time_(?:us|ms)=(\d+)")


class FfmpegError(EngineError):
    """ffmpeg exited non-zero; the message carries the tail of its stderr."""


@lru_cache(maxsize=1)
def ffmpeg_exe() -> str:
    """``ANIME_STUDIO_FFMPEG`` if set, else the binary bundled with imageio-ffmpeg."""
    override = os.environ.get("ANIME_STUDIO_FFMPEG")
    if override:
        return override
    import imageio_ffmpeg

    return str(imageio_ffmpeg.get_ffmpeg_exe())


async def run_ffmpeg(
    args: Sequence[str | Path],
    *,
    expected_duration: float | None = None,
    progress: Progress | None = None,
    threads: int | None = None,
    stdin: AsyncIterator[bytes] | None = None,
) -> None:
    """Run ``ffmpeg -y -hide_banner -nostdin <args>``; report progress if the output duration is known.

    ``stdin``: chunks fed to ffmpeg's standard input (for ``-i pipe:0``, e.g. raw frames rendered in Python).
    """
    command = [ffmpeg_exe(), "-y", "-hide_banner", "-nostdin", "-loglevel", "error"]
    if progress is not None and expected_duration:
        command += ["-progress", "pipe:1", "-nostats"]
    if threads:
        command += ["-threads", str(threads)]
    command += [str(a) for a in args]
    process = await asyncio.create_subprocess_exec(
        *command,
        stdin=asyncio.subprocess.PIPE if stdin is not None else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stderr_task = asyncio.create_task(_read_all(process.stderr))
    feeder = asyncio.create_task(_feed(process.stdin, stdin)) if stdin is not None else None
    try:
        if process.stdout is not None:
            async for line in process.stdout:
                match = _TIME.search(line)
                if match and progress is not None and expected_duration:
                    seconds = int(match.group(1)) / 1_000_000
                    await progress(min(1.0, seconds / expected_duration), "encoding")
        code = await process.wait()
        if feeder is not None:
            await feeder
    except BaseException:
        # Cancelled, or the frame source failed: never leave ffmpeg (or a half-fed pipe) behind.
        if process.returncode is None:
            process.kill()
            await process.wait()
        if feeder is not None:
            feeder.cancel()
            with contextlib.suppress(asyncio.CancelledError, BrokenPipeError, ConnectionResetError):
                await feeder
        stderr_task.cancel()
        raise
    stderr = await stderr_task
    if code != 0:
        raise FfmpegError(f"ffmpeg failed (exit {code}): {_summary(stderr)}")


async def _feed(pipe: asyncio.StreamWriter | None, chunks: AsyncIterator[bytes]) -> None:
    """Write every chunk to ffmpeg's stdin, then close it; a pipe ffmpeg closed early just stops the feed."""
    if pipe is None:
        return
    try:
        async for chunk in chunks:
            pipe.write(chunk)
            await pipe.drain()
    except (BrokenPipeError, ConnectionResetError):
        return  # ffmpeg exited; its exit code and stderr tell why
    finally:
        pipe.close()


async def _read_all(stream: asyncio.StreamReader | None) -> bytes:
    return await stream.read() if stream is not None else b""


def _summary(stderr: bytes) -> str:
    """The first real error lines (the tail is usually just the cascade of encoders giving up)."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines() if line.strip()]
    noise = ("Could not open encoder", "Terminating thread", "Task finished", "Nothing was written")
    useful = [line for line in lines if not any(n in line for n in noise)]
    return " | ".join((useful or lines)[:4])


# The studio's one H.264 dialect. Every shot clip and every re-encoded transition window uses it, so
# their parameter sets are byte-identical and assembly can join them by stream copy. ``stitchable``
# stops x264 from tuning the headers to the content (the initial QP follows the CRF otherwise).
HOUSE_PRESET = "veryfast"
HOUSE_CRF = 18
BT709 = ["-color_primaries", "bt709", "-color_trc", "bt709", "-colorspace", "bt709", "-color_range", "tv"]


def house_h264(
    fps: int, *, keyframes: Sequence[float] = (), preset: str = HOUSE_PRESET, crf: int = HOUSE_CRF
) -> list[str]:
    """Encoder arguments of a studio clip at ``fps``, with IDR frames forced at ``keyframes`` (seconds)."""
    args = ["-c:v", "libx264", "-preset", preset, "-crf", str(crf), "-profile:v", "high", "-pix_fmt", "yuv420p"]
    args += ["-x264-params", "stitchable=1", "-forced-idr", "1", "-g", str(fps * 2), *BT709, "-r", str(fps)]
    if keyframes:
        # Half a frame early, so that rounding never pushes the IDR onto the frame after.
        args += ["-force_key_frames", ",".join(f"{max(0.0, t - 0.5 / fps):.6f}" for t in sorted(set(keyframes)))]
    return args
