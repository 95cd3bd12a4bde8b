"""Request checks every video engine applies before it spends any time: what an H.264/yuv420p shot can be."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, UnidentifiedImageError

from anime_studio.engines.base import EngineError
from anime_studio.engines.video.base import VideoRequest
from anime_studio.media import images

MAX_DURATION = 60.0
MAX_SIDE = 3840


def validate(request: VideoRequest) -> int:
    """Check the request; return the exact frame count ``round(duration * fps)``."""
    if not request.source_image.is_file():
        raise EngineError(f"source image not found: {request.source_image.name}")
    if not 1 <= request.fps <= 120:
        raise EngineError(f"fps must be between 1 and 120 (got {request.fps})")
    if not 0 < request.duration <= MAX_DURATION:
        raise EngineError(f"duration must be more than 0 and at most {MAX_DURATION:g} seconds (got {request.duration})")
    for label, value in (("width", request.width), ("height", request.height)):
        # yuv420p halves the chroma planes: H.264 encoders refuse odd sizes.
        if not 16 <= value <= MAX_SIDE or value % 2:
            raise EngineError(f"{label} must be an even number of pixels between 16 and {MAX_SIDE} (got {value})")
    if request.output_path.suffix.lower() != ".mp4":
        raise EngineError(f"output must be an .mp4 file: {request.output_path.name}")
    frames = round(request.duration * request.fps)
    if frames < 1:
        raise EngineError(f"{request.duration} s at {request.fps} fps is less than one frame")
    return frames


def load_source(path: Path) -> Image.Image:
    """The source image as RGB; ``EngineError`` if it is not a readable image."""
    try:
        return images.decoded(path)
    except (UnidentifiedImageError, OSError) as error:
        raise EngineError(f"source image is not a readable image: {path.name}") from error
