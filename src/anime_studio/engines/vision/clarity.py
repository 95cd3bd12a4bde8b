"""Sharpness, exposure and contrast of a picture: what the heuristic reviewer scores and frame sampling filters on."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image

from anime_studio.engines.vision.metrics import laplacian_variance, luma, resized

WORK_SIDE = 512  # sharpness and exposure are judged at this size, so scores compare across resolutions


def unit(value: float) -> float:
    return min(1.0, max(0.0, value))


@dataclass(frozen=True)
class Clarity:
    """Clarity sub-scores (0..10) and the measurements behind them."""

    sharpness: float
    exposure: float
    contrast: float
    laplacian_var: float
    mean_luma: float
    highlights: float
    shadows: float
    spread: float

    @property
    def score(self) -> float:
        return 0.5 * self.sharpness + 0.25 * self.exposure + 0.25 * self.contrast


def measure_clarity(image: Image.Image) -> Clarity:
    """Sharpness, exposure and contrast at the working size."""
    gray = luma(np.asarray(resized(image, WORK_SIDE)))
    variance = laplacian_variance(gray) if min(gray.shape) >= 3 else 0.0
    mean = float(gray.mean())
    highlights = float((gray >= 250).mean())
    shadows = float((gray <= 5).mean())
    spread = float(gray.std())
    # log scale: variance 3 (heavy blur) → 0, 100 and above (crisp line art) → 10
    sharpness = 10 * unit((math.log10(variance + 1e-6) - math.log10(3)) / (math.log10(100) - math.log10(3)))
    exposure = 10.0
    if mean < 70:
        exposure = 10 * unit((mean - 15) / 55)
    elif mean > 200:
        exposure = 10 * unit((245 - mean) / 45)
    exposure = max(0.0, exposure - 10 * max(0.0, highlights - 0.25) - 10 * max(0.0, shadows - 0.3))
    contrast = 10 * unit((spread - 8) / 32)
    return Clarity(sharpness, exposure, contrast, variance, mean, highlights, shadows, spread)


def clarity_issues(c: Clarity) -> list[str]:
    """Concrete problems behind a low clarity score."""
    issues = []
    if c.sharpness < 4:
        issues.append(f"blurry (sharpness {c.sharpness:.1f}/10, Laplacian variance {c.laplacian_var:.1f})")
    if c.mean_luma < 50:
        issues.append(f"underexposed (mean luminance {c.mean_luma:.0f}/255)")
    if c.mean_luma > 215:
        issues.append(f"overexposed (mean luminance {c.mean_luma:.0f}/255)")
    if c.highlights > 0.25:
        issues.append(f"clipped highlights ({c.highlights:.0%} of pixels pure white)")
    if c.shadows > 0.3:
        issues.append(f"crushed shadows ({c.shadows:.0%} of pixels pure black)")
    if c.spread < 16:
        issues.append(f"low contrast (luminance spread {c.spread:.0f})")
    return issues
