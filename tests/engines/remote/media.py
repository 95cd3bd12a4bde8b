"""Small real media files for engine tests: a character PNG and a short H.264 video."""

from __future__ import annotations

import subprocess
from pathlib import Path

from PIL import Image, ImageDraw

from anime_studio.media.ffmpeg import ffmpeg_exe


def make_png(path: Path, size: tuple[int, int] = (256, 320)) -> Path:
    """A simple figure: silver hair, red scarf, on a blue background."""
    image = Image.new("RGB", size, (60, 90, 160))
    draw = ImageDraw.Draw(image)
    w, h = size
    draw.ellipse((w * 0.35, h * 0.1, w * 0.65, h * 0.35), fill=(235, 205, 180))
    draw.rectangle((w * 0.33, h * 0.08, w * 0.67, h * 0.16), fill=(200, 200, 210))
    draw.rectangle((w * 0.3, h * 0.35, w * 0.7, h * 0.8), fill=(40, 40, 60))
    draw.rectangle((w * 0.3, h * 0.35, w * 0.7, h * 0.42), fill=(200, 30, 40))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return path


def make_video(path: Path, seconds: float = 2.0) -> Path:
    """A ``seconds``-long 160x90 test pattern with a tone (H.264 + AAC in MP4)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    command = [
        ffmpeg_exe(), "-y", "-hide_banner", "-loglevel", "error",
        "-f", "lavfi", "-i", f"testsrc=size=160x90:rate=10:duration={seconds}",
        "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
        "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", str(path),
    ]  # fmt: skip
    subprocess.run(command, check=True)
    return path
