"""Candidate dataset frames from a video: every scene cut plus one frame every N seconds (ffmpeg)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import av
from PIL import Image

from anime_studio.engines.base import Progress
from anime_studio.engines.vision.clarity import measure_clarity
from anime_studio.errors import Invalid
from anime_studio.media.ffmpeg import run_ffmpeg

SCENE_THRESHOLD = 0.3
"""ffmpeg's scene score (0..1) above which a frame starts a new shot."""
MAX_FRAMES = 400
MAX_VIDEO_SECONDS = 3 * 3600
BLACK_MEAN = 16
BLANK_SPREAD = 6
BLUR_VARIANCE = 8.0
"""Laplacian variance at 512 px below which a frame is motion-blurred or out of focus (line art is in the 100s)."""

_META = re.compile(r"frame:(\d+)\s+pts:\S+\s+pts_time:([0-9.]+)\s*\nlavfi\.scene_score=([0-9.]+)")


@dataclass(frozen=True)
class Frame:
    path: Path
    timestamp: float
    scene_score: float
    reason: str
    """``scene cut`` or ``every N s``: why ffmpeg picked this frame."""


def video_duration(path: Path) -> float:
    """Seconds of the first video stream; 422 when the file holds no decodable video."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise Invalid(f"{path.name}: no video stream")
            stream = container.streams.video[0]
            if stream.duration is not None and stream.time_base is not None:
                seconds = float(stream.duration * stream.time_base)
            else:
                seconds = (container.duration or 0) / av.time_base
    except (av.error.FFmpegError, OSError, UnicodeDecodeError) as error:
        raise Invalid(f"{path.name}: not a readable video") from error
    if seconds > MAX_VIDEO_SECONDS:
        raise Invalid(f"{path.name}: videos are limited to {MAX_VIDEO_SECONDS // 3600} hours")
    return seconds


async def sample(video: Path, out: Path, *, every: float, progress: Progress | None = None) -> list[Frame]:
    """Write the chosen frames as PNGs into ``out`` and return them with their timestamps."""
    if "'" in str(out):
        raise Invalid("the staging folder's path cannot be quoted for ffmpeg")
    out.mkdir(parents=True, exist_ok=True)
    meta = out / "frames.txt"
    choose = f"eq(n,0)+gt(scene,{SCENE_THRESHOLD})+gte(t-prev_selected_t,{every:g})"
    await run_ffmpeg(
        [
            "-i",
            video,
            "-vf",
            f"select='{choose}',metadata=mode=print:file='{meta}'",
            "-fps_mode",
            "vfr",
            "-frames:v",
            str(MAX_FRAMES),
            out / "f_%05d.png",
        ],
        expected_duration=video_duration(video) or None,
        progress=progress,
    )
    frames = []
    for match in _META.finditer(meta.read_text() if meta.is_file() else ""):
        index, timestamp, score = int(match[1]), float(match[2]), float(match[3])
        path = out / f"f_{index + 1:05d}.png"
        if path.is_file():
            reason = "scene cut" if score > SCENE_THRESHOLD else ("first frame" if index == 0 else f"every {every:g} s")
            frames.append(Frame(path, round(timestamp, 3), round(score, 4), reason))
    return frames


def unusable(image: Image.Image) -> str | None:
    """Why a frame is no training material (black, blank, blurred), or ``None``."""
    clarity = measure_clarity(image)
    if clarity.mean_luma < BLACK_MEAN:
        return f"black frame (mean luminance {clarity.mean_luma:.0f})"
    if clarity.spread < BLANK_SPREAD:
        return f"blank frame (luminance spread {clarity.spread:.0f})"
    if clarity.laplacian_var < BLUR_VARIANCE:
        return f"blurred frame (Laplacian variance {clarity.laplacian_var:.1f})"
    return None
