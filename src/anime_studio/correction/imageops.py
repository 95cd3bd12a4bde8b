"""The corrections that need no engine: tone, sharpness, size and framing, on the decoded picture.

Each takes and returns a Pillow RGB image and never changes the original file.
"""

from __future__ import annotations

import math

import numpy as np
from PIL import Image, ImageFilter

from anime_studio.engines.vision.metrics import Blob, blobs, foreground_mask, luma, resized, to_lab

TARGET_LUMA = 118.0
"""Mid-grey a little under 128: anime frames sit slightly dark of middle with their line art."""
MAX_UPSCALE = 4.0
FIGURE_SIDE = 160
"""Figures are found on this small grid, as the heuristic reviewer finds them."""


def brightness(image: Image.Image) -> Image.Image:
    """Gamma correction that moves the mean luminance to ``TARGET_LUMA`` (lifts a dark image, tames a bright one)."""
    mean = float(luma(np.asarray(image)).mean())
    mean = min(max(mean, 1.0), 254.0)
    gamma = math.log(TARGET_LUMA / 255) / math.log(mean / 255)
    table = [round(255 * (i / 255) ** gamma) for i in range(256)]
    return image.point(table * 3)


def contrast(image: Image.Image, *, cutoff: float = 0.01) -> Image.Image:
    """Stretch the luminance between its 1st and 99th percentile to the full range (same curve on each channel,
    so hues stay)."""
    values = luma(np.asarray(image))
    low, high = np.quantile(values, [cutoff, 1 - cutoff])
    if high - low < 1:
        low, high = float(values.min()), float(values.max()) + 1
    scale = 255 / (high - low)
    table = [min(255, max(0, round((i - low) * scale))) for i in range(256)]
    return image.point(table * 3)


def sharpen(image: Image.Image) -> Image.Image:
    """Unsharp mask scaled to the image: a radius of about 0.4 % of the long side restores soft line art."""
    radius = max(1.5, max(image.size) / 250)
    return image.filter(ImageFilter.UnsharpMask(radius=radius, percent=220, threshold=1))


def upscale_size(size: tuple[int, int], short_side: int) -> tuple[int, int]:
    """The size whose short side reaches ``short_side`` (at most 4×), aspect kept."""
    width, height = size
    scale = min(MAX_UPSCALE, max(1.0, short_side / min(width, height)))
    return max(1, round(width * scale)), max(1, round(height * scale))


def upscale(image: Image.Image, short_side: int) -> Image.Image:
    """Lanczos resampling up to ``short_side`` on the shorter edge."""
    return image.resize(upscale_size(image.size, short_side), Image.Resampling.LANCZOS)


def figures(image: Image.Image) -> list[Blob]:
    """Foreground blobs big and tall enough to be a character, biggest first (the reviewer's definition)."""
    lab = to_lab(np.asarray(resized(image, FIGURE_SIDE)))
    return [b for b in blobs(foreground_mask(lab)) if b.area >= 0.015 and b.height >= 0.2]


def crop_box(main: Blob, others: list[Blob], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A box around ``main`` with a margin, cut half-way into the gap to any figure beside it."""
    width, height = size
    margin_x, margin_y = 0.25 * main.width + 0.04, 0.08 * main.height + 0.02
    left, right = max(0.0, main.x0 - margin_x), min(1.0, main.x1 + margin_x)
    for other in others:
        if other.x1 <= main.x0:
            left = max(left, (other.x1 + main.x0) / 2)
        elif other.x0 >= main.x1:
            right = min(right, (main.x1 + other.x0) / 2)
    top, bottom = max(0.0, main.y0 - margin_y), min(1.0, main.y1 + margin_y)
    return round(left * width), round(top * height), round(right * width), round(bottom * height)


def crop_to_main_figure(image: Image.Image) -> Image.Image | None:
    """The biggest figure cropped away from the others; ``None`` when there is no second figure to remove
    or the figures overlap so that no box holds only one."""
    found = figures(image)
    if len(found) < 2:
        return None
    main, others = found[0], found[1:]
    if any(o.x0 < main.x1 and o.x1 > main.x0 for o in others):
        return None  # side by side only: overlapping figures cannot be separated by a rectangle
    box = crop_box(main, others, image.size)
    if box[2] - box[0] < 16 or box[3] - box[1] < 16:
        return None
    return image.crop(box)
