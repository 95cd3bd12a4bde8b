"""Figure primitives (ellipse, capsule, polygon) in a figure's own units, placed and cel-shaded on a canvas."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace

from anime_studio.engines.image.storyboard.canvas import Canvas, Point, capsule_points, ellipse_points
from anime_studio.engines.image.storyboard.colors import RGB, ink_of, shadow_of


@dataclass(frozen=True)
class Ellipse:
    cx: float
    cy: float
    rx: float
    ry: float
    rotation: float = 0.0


@dataclass(frozen=True)
class Capsule:
    p0: Point
    p1: Point
    r0: float
    r1: float


@dataclass(frozen=True)
class Poly:
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Stroke:
    """An open line ``width`` figure units wide (brows, mouths, lantern ribs)."""

    points: tuple[Point, ...]
    width: float


Geometry = Ellipse | Capsule | Poly | Stroke


@dataclass(frozen=True)
class Shape:
    """One painted part of a figure."""

    geometry: Geometry
    fill: RGB
    shaded: bool = True
    outlined: bool = True
    alpha: float = 1.0


@dataclass(frozen=True)
class Placement:
    """Maps figure units to image pixels: scale, origin of the unit (0, 0), mirror and lean about the feet."""

    scale: float
    x: float
    y: float
    mirror: bool = False
    lean: float = 0.0
    """Radians, rotation about the feet point (0, 1)."""

    def point(self, p: Point) -> Point:
        """Figure units → pixels."""
        ux = -p[0] if self.mirror else p[0]
        uy = p[1] - 1.0
        cos_l, sin_l = math.cos(self.lean), math.sin(self.lean)
        rx, ry = ux * cos_l - uy * sin_l, ux * sin_l + uy * cos_l
        return (self.x + rx * self.scale, self.y + (ry + 1.0) * self.scale)

    def geometry(self, g: Geometry) -> Geometry:
        """Place a primitive."""
        if isinstance(g, Ellipse):
            cx, cy = self.point((g.cx, g.cy))
            rotation = (-g.rotation if self.mirror else g.rotation) + self.lean
            return Ellipse(cx, cy, g.rx * self.scale, g.ry * self.scale, rotation)
        if isinstance(g, Capsule):
            return Capsule(self.point(g.p0), self.point(g.p1), g.r0 * self.scale, g.r1 * self.scale)
        if isinstance(g, Stroke):
            return Stroke(tuple(self.point(p) for p in g.points), g.width * self.scale)
        return Poly(tuple(self.point(p) for p in g.points))


def outline_points(g: Ellipse | Capsule | Poly, grow: float = 0.0) -> list[Point]:
    """Polygon of a placed primitive, optionally grown by ``grow`` pixels (ellipse and capsule only)."""
    if isinstance(g, Ellipse):
        return ellipse_points(g.cx, g.cy, g.rx + grow, g.ry + grow, rotation=g.rotation)
    if isinstance(g, Capsule):
        return capsule_points(g.p0, g.p1, g.r0 + grow, g.r1 + grow)
    return list(g.points)


def lit_part(g: Ellipse | Capsule | Poly, light: float, amount: float) -> Ellipse | Capsule | Poly:
    """The lit part of a primitive: shrunk towards the light so a crescent of shadow stays on the far side.

    ``light`` is -1 when light comes from the left, +1 from the right; ``amount`` is the shadow width share.
    """
    if isinstance(g, Ellipse):
        shift = g.rx * amount * light
        return Ellipse(
            g.cx + shift, g.cy - g.ry * amount * 0.5, g.rx * (1 - amount), g.ry * (1 - amount * 0.5), g.rotation
        )
    if isinstance(g, Capsule):
        # Shift the core towards the light and thin it: it stays inside the capsule.
        k = amount * 0.9
        dx0, dx1 = g.r0 * k * light, g.r1 * k * light
        return Capsule((g.p0[0] + dx0, g.p0[1]), (g.p1[0] + dx1, g.p1[1]), g.r0 * (1 - k), g.r1 * (1 - k))
    xs = [p[0] for p in g.points]
    ys = [p[1] for p in g.points]
    # Polygons keep their lit side up to a slanted cut; the band beyond it is the cel shadow.
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    edge = max(xs) if light < 0 else min(xs)
    cut = edge + light * span_x * amount * 1.3
    slope = 0.18 * span_x / max(span_y, 1e-6)
    top = min(ys)
    return Poly(tuple(clip(list(g.points), lambda p: (-light) * (p[0] - cut - light * slope * (p[1] - top)))))


def clip(points: list[Point], inside: Callable[[Point], float]) -> list[Point]:
    """Sutherland-Hodgman against one half-plane: keep where ``inside(p) <= 0`` (``inside`` is affine)."""
    result: list[Point] = []
    for i, current in enumerate(points):
        previous = points[i - 1]
        a, b = inside(previous), inside(current)
        if (a <= 0) != (b <= 0):
            t = a / (a - b)
            result.append((previous[0] + (current[0] - previous[0]) * t, previous[1] + (current[1] - previous[1]) * t))
        if b <= 0:
            result.append(current)
    return result


def paint(canvas: Canvas, shapes: list[Shape], placement: Placement, *, light: float, line: float) -> None:
    """Draw shapes in order with ink outlines and a cel shadow on the side away from ``light``."""
    detailed = placement.scale * 0.17 > 14  # below ~14 px a head is a dot: cel shading would be noise
    for shape in shapes:
        g = placement.geometry(shape.geometry)
        a = round(255 * shape.alpha)
        fill = (*shape.fill, a)
        ink = (*ink_of(shape.fill), a)
        if isinstance(g, Stroke):
            canvas.line(g.points, fill, max(0.6, g.width))
            continue
        outlined = shape.outlined and line > 0
        if outlined and not isinstance(g, Poly):
            canvas.polygon(outline_points(g, grow=line * 0.6), ink)
        if shape.shaded and detailed:
            canvas.polygon(outline_points(g), (*shadow_of(shape.fill), a))
            canvas.polygon(outline_points(lit_part(g, light, 0.28)), fill)
        else:
            canvas.polygon(outline_points(g), fill)
        if outlined and isinstance(g, Poly):
            canvas.line(g.points, ink, line, closed=True)


def recolored(shapes: list[Shape], light: Callable[[RGB], RGB]) -> list[Shape]:
    """Apply a colour function (the scene's light) to every shape's fill."""
    return [replace(s, fill=light(s.fill)) for s in shapes]
