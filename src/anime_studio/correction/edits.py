"""The five picture edits behind the strategies, with before/after measurements for the history."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from anime_studio.correction import imageops
from anime_studio.engines.vision.clarity import measure_clarity
from anime_studio.media import images

MIN_TRAINING_SIDE = 512
"""The short side a training image should reach (the reviewers flag anything smaller)."""


@dataclass(frozen=True)
class Edited:
    png: bytes
    detail: str
    size: tuple[int, int]


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def short_side_for(style_size: tuple[int, int]) -> int:
    return max(MIN_TRAINING_SIDE, min(style_size))


def edit(strategy: str, source: Path, *, short_side: int) -> Edited | None:
    """The edited picture, or ``None`` when this edit cannot help this image (``fix_solo`` with no second figure)."""
    image = images.decoded(source)
    before = measure_clarity(image)
    if strategy == "fix_brightness":
        out = imageops.brightness(image)
        detail = f"mean luminance {before.mean_luma:.0f} → {measure_clarity(out).mean_luma:.0f}"
    elif strategy == "fix_contrast":
        out = imageops.contrast(image)
        detail = f"luminance spread {before.spread:.1f} → {measure_clarity(out).spread:.1f}"
    elif strategy == "fix_blur":
        out = imageops.sharpen(image)
        detail = f"Laplacian variance {before.laplacian_var:.1f} → {measure_clarity(out).laplacian_var:.1f}"
    elif strategy == "fix_resolution":
        out = imageops.upscale(image, short_side)
        detail = f"Lanczos upscale {image.width}×{image.height} → {out.width}×{out.height}"
    elif strategy == "fix_solo":
        cropped = imageops.crop_to_main_figure(image)
        if cropped is None:
            return None
        count = len(imageops.figures(image))
        out = imageops.upscale(cropped, min(short_side, MIN_TRAINING_SIDE))
        detail = (
            f"cropped to the main figure of {count} ({cropped.width}×{cropped.height}, saved {out.width}×{out.height})"
        )
    else:
        raise ValueError(f"{strategy} is not a picture edit")
    return Edited(_png(out), detail, out.size)
