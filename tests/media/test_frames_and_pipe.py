"""Exact frame decoding and feeding ffmpeg from Python."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from anime_studio.media.ffmpeg import FfmpegError, run_ffmpeg
from anime_studio.media.frames import count_frames, frame_at, last_frame


def _frame(value: int) -> bytes:
    rgb = np.zeros((64, 96, 3), dtype=np.uint8)
    rgb[..., 0], rgb[..., 1], rgb[..., 2] = value, 255 - value, 128
    return rgb.tobytes()


async def _frames(count: int) -> AsyncIterator[bytes]:
    for i in range(count):
        yield _frame(20 + 20 * i)


def _raw_input() -> list[str]:
    return ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "96x64", "-framerate", "10", "-i", "pipe:0"]


@pytest.mark.parametrize("tags", [[], ["-colorspace", "bt709", "-color_range", "tv"]])
async def test_piped_frames_decode_back_to_their_colours(tmp_path: Path, tags: list[str]) -> None:
    out = tmp_path / "clip.mp4"
    matrix = "bt709" if tags else "bt601"
    encode = ["-vf", f"scale=out_color_matrix={matrix}:flags=accurate_rnd+full_chroma_int,format=yuv420p"]
    await run_ffmpeg([*_raw_input(), *encode, *tags, "-c:v", "libx264", "-qp", "0", out], stdin=_frames(5))
    assert count_frames(out) == 5
    decoded = np.asarray(frame_at(out, 4)).astype(float)
    expected = np.frombuffer(_frame(100), dtype=np.uint8).reshape(64, 96, 3)
    assert np.abs(decoded - expected).max() <= 2  # exact matrix maths: no darkening, no tint
    assert np.array_equal(np.asarray(last_frame(out)), np.asarray(frame_at(out, 4)))


async def test_ffmpeg_failure_while_feeding_is_reported(tmp_path: Path) -> None:
    with pytest.raises(FfmpegError):
        await run_ffmpeg([*_raw_input(), "-c:v", "no-such-codec", tmp_path / "x.mp4"], stdin=_frames(50))


async def test_failing_frame_source_stops_ffmpeg(tmp_path: Path) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield _frame(10)
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError, match="renderer crashed"):
        await run_ffmpeg([*_raw_input(), "-c:v", "libx264", tmp_path / "y.mp4"], stdin=broken())


def test_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "x.mp4"
    path.write_text("nope")
    with pytest.raises(ValueError, match="not a readable video"):
        last_frame(path)
