"""Image measurements for the heuristic reviewer: sharpness, exposure, contrast, colours (CIELAB), blobs."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image

Lab = np.ndarray

_SRGB_TO_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]],
    dtype=np.float32,
)
_D65 = np.array([0.95047, 1.0, 1.08883], dtype=np.float32)


def to_lab(rgb: np.ndarray) -> Lab:
    """sRGB (uint8 or 0..255 floats, last axis RGB) → CIELAB (D65)."""
    c = np.asarray(rgb, dtype=np.float32) / 255
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    xyz = linear @ _SRGB_TO_XYZ.T / _D65
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], axis=-1)


def delta_e2000(lab1: Lab, lab2: Lab) -> np.ndarray:
    """CIEDE2000 colour difference, broadcasting over leading axes (≈1 is a just-noticeable difference)."""
    l1, a1, b1 = lab1[..., 0], lab1[..., 1], lab1[..., 2]
    l2, a2, b2 = lab2[..., 0], lab2[..., 1], lab2[..., 2]
    c_bar = (np.hypot(a1, b1) + np.hypot(a2, b2)) / 2
    g = 0.5 * (1 - np.sqrt(c_bar**7 / (c_bar**7 + 25.0**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = np.hypot(a1p, b1), np.hypot(a2p, b2)
    h1p = np.degrees(np.arctan2(b1, a1p)) % 360
    h2p = np.degrees(np.arctan2(b2, a2p)) % 360
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    dh = np.where(dh > 180, dh - 360, np.where(dh < -180, dh + 360, dh))
    dh = np.where(c1p * c2p == 0, 0, dh)
    dhp = 2 * np.sqrt(c1p * c2p) * np.sin(np.radians(dh / 2))
    l_bar, cp_bar = (l1 + l2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    h_bar = np.where(np.abs(h1p - h2p) > 180, (h_sum + 360) / 2, h_sum / 2)
    h_bar = np.where(c1p * c2p == 0, h_sum, h_bar)
    t = (
        1
        - 0.17 * np.cos(np.radians(h_bar - 30))
        + 0.24 * np.cos(np.radians(2 * h_bar))
        + 0.32 * np.cos(np.radians(3 * h_bar + 6))
        - 0.20 * np.cos(np.radians(4 * h_bar - 63))
    )
    sl = 1 + 0.015 * (l_bar - 50) ** 2 / np.sqrt(20 + (l_bar - 50) ** 2)
    sc, sh = 1 + 0.045 * cp_bar, 1 + 0.015 * cp_bar * t
    rt = -2 * np.sqrt(cp_bar**7 / (cp_bar**7 + 25.0**7)) * np.sin(np.radians(60 * np.exp(-(((h_bar - 275) / 25) ** 2))))
    result: np.ndarray = np.sqrt((dl / sl) ** 2 + (dc / sc) ** 2 + (dhp / sh) ** 2 + rt * (dc / sc) * (dhp / sh))
    return result


def resized(image: Image.Image, long_side: int) -> Image.Image:
    """A copy whose longer side is at most ``long_side`` (never upscaled)."""
    scale = long_side / max(image.size)
    if scale >= 1:
        return image
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)


def luma(rgb: np.ndarray) -> np.ndarray:
    """Rec. 601 luma 0..255 as float32."""
    return np.asarray(rgb, dtype=np.float32) @ np.array([0.299, 0.587, 0.114], dtype=np.float32)


def laplacian_variance(gray: np.ndarray) -> float:
    """Variance of the 4-neighbour Laplacian: high for crisp edges, near zero for blur."""
    lap = 4 * gray[1:-1, 1:-1] - gray[:-2, 1:-1] - gray[2:, 1:-1] - gray[1:-1, :-2] - gray[1:-1, 2:]
    return float(lap.var())


def kmeans(points: np.ndarray, k: int, iterations: int = 8) -> tuple[np.ndarray, np.ndarray]:  # for dominant colours
    """Deterministic k-means (centres seeded at luminance quantiles); returns centres and each point's label."""
    order = np.argsort(points[:, 0], kind="stable")
    k = max(1, min(k, len(points)))
    centres = points[order[np.linspace(0, len(points) - 1, k).astype(int)]].astype(np.float32)
    labels = np.zeros(len(points), dtype=np.int64)
    for _ in range(iterations):
        distances = ((points[:, None, :] - centres[None, :, :]) ** 2).sum(axis=-1)
        labels = distances.argmin(axis=1)
        for i in range(k):
            members = points[labels == i]
            if len(members):
                centres[i] = members.mean(axis=0)
    return centres, labels


@dataclass(frozen=True)
class Blob:
    """A connected foreground region on the analysis grid (fractions of the image)."""

    area: float
    x0: float
    y0: float
    x1: float
    y1: float
    width_at_upper_third: float

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def foreground_mask(lab: Lab, threshold: float = 16.0) -> np.ndarray:
    """Pixels that stand out from the background, modelled row by row by the frame's side strips.

    Backdrops (sky, studio gradient, ground, sea) mostly vary from top to bottom, so each row's
    background is the median colour of its left and right 8 % strips. Characters are framed away
    from the sides; whatever touches both sides in a row (a wall, a crowd) counts as background.
    """
    h, w = lab.shape[:2]
    strip = max(1, w * 8 // 100)
    margin = max(1, w // 50)  # skip the panel border itself
    sides = np.concatenate([lab[:, margin : margin + strip], lab[:, w - margin - strip : w - margin]], axis=1)
    background = np.median(sides, axis=1)
    top = max(1, h // 50)
    background[:top] = background[top]  # the border row is ink, not backdrop
    distance = np.sqrt(((lab - background[:, None, :]) ** 2).sum(axis=-1))
    mask: np.ndarray = distance > threshold
    mask[:top], mask[h - top :], mask[:, :margin], mask[:, w - margin :] = False, False, False, False
    return _open(mask)


def _open(mask: np.ndarray) -> np.ndarray:
    """Morphological opening with a 3x3 cross: drops specks and thin lines (rain, outlines of the ground)."""
    eroded = mask.copy()
    eroded[1:, :] &= mask[:-1, :]
    eroded[:-1, :] &= mask[1:, :]
    eroded[:, 1:] &= mask[:, :-1]
    eroded[:, :-1] &= mask[:, 1:]
    dilated = eroded.copy()
    dilated[1:, :] |= eroded[:-1, :]
    dilated[:-1, :] |= eroded[1:, :]
    dilated[:, 1:] |= eroded[:, :-1]
    dilated[:, :-1] |= eroded[:, 1:]
    return dilated


def blobs(mask: np.ndarray) -> list[Blob]:
    """Connected components (4-neighbour) of a boolean grid, biggest first."""
    h, w = mask.shape
    labels = np.full(mask.shape, -1, dtype=np.int64)
    found: list[Blob] = []
    for start_y, start_x in zip(*np.nonzero(mask), strict=True):
        if labels[start_y, start_x] >= 0:
            continue
        index = len(found)
        stack = [(int(start_y), int(start_x))]
        labels[start_y, start_x] = index
        cells: list[tuple[int, int]] = []
        while stack:
            y, x = stack.pop()
            cells.append((y, x))
            for ny, nx in ((y - 1, x), (y + 1, x), (y, x - 1), (y, x + 1)):
                if 0 <= ny < h and 0 <= nx < w and mask[ny, nx] and labels[ny, nx] < 0:
                    labels[ny, nx] = index
                    stack.append((ny, nx))
        ys = np.array([c[0] for c in cells])
        xs = np.array([c[1] for c in cells])
        y0, y1 = int(ys.min()), int(ys.max()) + 1
        band = xs[ys <= y0 + (y1 - y0) / 3]
        found.append(
            Blob(
                len(cells) / (h * w),
                xs.min() / w,
                y0 / h,
                (xs.max() + 1) / w,
                y1 / h,
                (band.max() - band.min() + 1) / w,
            )
        )
    return sorted(found, key=lambda b: -b.area)
