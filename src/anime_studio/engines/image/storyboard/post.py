"""Whole-frame finishing: camera roll and keystone, mood grade, vignette."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from PIL import Image

from anime_studio.engines.image.storyboard.atmosphere import MoodGrade
from anime_studio.engines.image.storyboard.canvas import Point

Matrix = np.ndarray


def camera_matrix(size: tuple[int, int], tilt_degrees: float, keystone: float) -> Matrix | None:
    """Output→input homography for a dutch roll and a keystone; ``None`` when the camera is level."""
    if not tilt_degrees and not keystone:
        return None
    w, h = size
    m = np.eye(3)
    if keystone:
        k = abs(keystone) * w / 2
        corners = [(0.0, 0.0), (w, 0.0), (0.0, h), (w, h)]
        if keystone > 0:  # low angle: the bottom row is magnified, verticals meet above the frame
            sources = [(0.0, 0.0), (w, 0.0), (k, h), (w - k, h)]
        else:  # high angle: the top row is magnified, verticals meet below
            sources = [(k, 0.0), (w - k, 0.0), (0.0, h), (w, h)]
        m = _homography(corners, sources)
    if tilt_degrees:
        a = math.radians(tilt_degrees)
        ratio = max(w / h, h / w)
        zoom = math.cos(abs(a)) + ratio * math.sin(abs(a))  # just enough zoom that no corner shows
        cx, cy = w / 2, h / 2
        cos_a, sin_a = math.cos(a) / zoom, math.sin(a) / zoom
        roll = np.array(
            [[cos_a, -sin_a, cx - cos_a * cx + sin_a * cy], [sin_a, cos_a, cy - sin_a * cx - cos_a * cy], [0, 0, 1]]
        )
        m = m @ roll
    return m


def _homography(dst: list[Point], src: list[Point]) -> Matrix:
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    a, b, c, d, e, f, g, hh = np.linalg.solve(np.array(rows, float), np.array(rhs, float))
    return np.array([[a, b, c], [d, e, f], [g, hh, 1.0]])


def apply_camera(image: Image.Image, matrix: Matrix) -> Image.Image:
    """Resample the frame through the camera homography."""
    coeffs = (matrix / matrix[2, 2]).flatten()[:8]
    return image.transform(
        image.size, Image.Transform.PERSPECTIVE, tuple(float(c) for c in coeffs), Image.Resampling.BICUBIC
    )


def project(matrix: Matrix | None, point: Point) -> Point:
    """Where a point of the unwarped frame lands in the warped one (labels follow their figures)."""
    if matrix is None:
        return point
    x, y, z = np.linalg.inv(matrix) @ np.array([point[0], point[1], 1.0])
    return (float(x / z), float(y / z))


@lru_cache(maxsize=8)
def _radius(width: int, height: int) -> np.ndarray:
    ys = (np.arange(height, dtype=np.float32) + 0.5) / height - 0.5
    xs = (np.arange(width, dtype=np.float32) + 0.5) / width - 0.5
    r2 = (xs[None, :] ** 2) * 1.0 + (ys[:, None] ** 2) * 1.0
    r2 = r2 / 0.5
    r2.setflags(write=False)
    return r2


def grade(image: Image.Image, mood: MoodGrade, *, extra_vignette: float = 0.0) -> Image.Image:
    """Saturation, contrast, brightness, tint and vignette of the mood, in one numpy pass."""
    a = np.asarray(image, dtype=np.float32) * (1 / 255)
    lum = a @ np.array([0.299, 0.587, 0.114], np.float32)
    a = lum[..., None] + (a - lum[..., None]) * mood.saturation
    a = (a - 0.5) * mood.contrast + 0.5 + mood.brightness
    if mood.tint_strength:
        tint = np.array(mood.tint, np.float32) / 255
        a = a * (1 - mood.tint_strength) + a * (tint / max(float(tint.mean()), 1e-3)) * mood.tint_strength
    strength = mood.vignette + extra_vignette
    if strength:
        a = a * (1 - strength * _radius(image.width, image.height) ** 1.5)[..., None]
    return Image.fromarray(np.clip(a * 255 + 0.5, 0, 255).astype(np.uint8), "RGB")
