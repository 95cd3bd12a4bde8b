"""Episode thumbs and series posters as JPEG, from a given image or a frame of the video."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from PIL import Image, ImageOps, UnidentifiedImageError

from anime_studio.engines.base import EngineError
from anime_studio.media import images
from anime_studio.media.ffmpeg import run_ffmpeg

POSTER_SIZE = (680, 1000)
"""Jellyfin/Kodi posters are 2:3 portrait."""
THUMB_MAX = (1280, 720)


def jpeg_from(path: Path, *, poster: bool = False) -> bytes:
    """``path`` re-encoded as an RGB JPEG (thumb size, or cropped to a 2:3 poster)."""
    try:
        with images.opened(path) as image:
            rgb = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, UnidentifiedImageError) as error:
        raise EngineError(f"cannot read image {path.name}: {error}") from error
    if poster:
        rgb = ImageOps.fit(rgb, POSTER_SIZE, method=Image.Resampling.LANCZOS)
    else:
        rgb.thumbnail(THUMB_MAX, Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, format="JPEG", quality=90, optimize=True)
    return buffer.getvalue()


async def frame_from_video(video: Path, at_seconds: float) -> bytes | None:
    """One frame of ``video`` as JPEG bytes, or ``None`` when it has no decodable picture there."""
    with tempfile.TemporaryDirectory(prefix="anime-studio-thumb-") as folder:
        target = Path(folder) / "frame.png"
        try:
            await run_ffmpeg(["-ss", f"{max(0.0, at_seconds):.3f}", "-i", video, "-frames:v", "1", target])
        except EngineError:
            return None
        if not target.exists():
            return None
        return jpeg_from(target)
