"""A supersampled drawing surface addressed in final-image pixels."""

from __future__ import annotations

import math
from collections.abc import Sequence

from PIL import Image, ImageDraw

from anime_studio.engines.image.storyboard.colors import RGB

Point = tuple[float, float]
Fill = RGB | tuple[int, int, int, int]


class Canvas:
    """Draws in final-image coordinates on an image ``scale`` times larger (anti-aliasing by supersampling)."""

    def __init__(self, image: Image.Image, scale: float) -> None:
        self.image = image
        self.scale = scale
        # RGBA drawing mode blends translucent fills onto the RGB image.
        self.draw = ImageDraw.Draw(image, "RGBA")
        self.width = image.width / scale
        self.height = image.height / scale

    def _xy(self, points: Sequence[Point]) -> list[tuple[float, float]]:
        s = self.scale
        return [(x * s, y * s) for x, y in points]

    def polygon(self, points: Sequence[Point], fill: Fill) -> None:
        """A filled polygon (no outline)."""
        if len(points) >= 3:
            self.draw.polygon(self._xy(points), fill=fill)

    def line(self, points: Sequence[Point], fill: Fill, width: float, *, closed: bool = False) -> None:
        """A polyline ``width`` final pixels wide with rounded joints."""
        xy = self._xy(points)
        if closed and xy:
            xy = [*xy, xy[0], xy[1 % len(xy)]]
        if len(xy) >= 2:
            self.draw.line(xy, fill=fill, width=max(1, round(width * self.scale)), joint="curve")

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Fill) -> None:
        """An axis-aligned filled ellipse."""
        s = self.scale
        if rx > 0 and ry > 0:
            self.draw.ellipse(((cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s), fill=fill)

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Fill) -> None:
        """A filled axis-aligned rectangle."""
        s = self.scale
        if x1 > x0 and y1 > y0:
            # Pillow rectangles include their far edge; keep it inside the box, never before its start.
            left, top = x0 * s, y0 * s
            self.draw.rectangle((left, top, max(left, x1 * s - 1), max(top, y1 * s - 1)), fill=fill)


def ellipse_points(
    cx: float, cy: float, rx: float, ry: float, *, rotation: float = 0.0, start: float = 0.0, end: float = math.tau
) -> list[Point]:
    """Points on an (optionally rotated) ellipse arc; enough of them that big ellipses stay round."""
    count = max(16, min(400, int(max(rx, ry) * abs(end - start) / 6)))
    cos_r, sin_r = math.cos(rotation), math.sin(rotation)
    points = []
    for i in range(count + 1):
        a = start + (end - start) * i / count
        x, y = rx * math.cos(a), ry * math.sin(a)
        points.append((cx + x * cos_r - y * sin_r, cy + x * sin_r + y * cos_r))
    return points


def capsule_points(p0: Point, p1: Point, r0: float, r1: float) -> list[Point]:
    """Outline of a tapered capsule (a limb) from ``p0`` (radius ``r0``) to ``p1`` (radius ``r1``)."""
    angle = math.atan2(p1[1] - p0[1], p1[0] - p0[0])
    half = math.pi / 2
    end_cap = ellipse_points(p1[0], p1[1], r1, r1, start=angle - half, end=angle + half)
    start_cap = ellipse_points(p0[0], p0[1], r0, r0, start=angle + half, end=angle + 3 * half)
    return end_cap + start_cap
