"""Outdoor background pieces: hills, mountains, trees, water, shore, boats, the lighthouse, a shrine gate."""

from __future__ import annotations

import math

from anime_studio.engines.image.storyboard.canvas import Point
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, with_alpha
from anime_studio.engines.image.storyboard.stage import Stage

GRASS: RGB = (112, 164, 92)
SAND: RGB = (232, 212, 164)
STONE: RGB = (150, 146, 140)
SEA: RGB = (36, 92, 140)


def ridge(stage: Stage, base: float, height: float, color: RGB, *, waves: int, sharp: bool = False) -> None:
    """A hill line (soft) or mountain range (sharp) from ``base`` up to ``height`` px, filled to the bottom."""
    w = stage.width
    rng = stage.rng
    points: list[Point] = [(-10, stage.height + 10)]
    phase = rng.uniform(0, math.tau)
    steps = 48 if not sharp else waves * 2
    peaks = [rng.uniform(0.45, 1.0) for _ in range(steps + 1)]
    for i in range(steps + 1):
        x = -10 + (w + 20) * i / steps
        if sharp:
            y = base - height * (peaks[i] if i % 2 == 0 else peaks[i] * 0.35)
        else:
            y = base - height * (0.55 + 0.45 * math.sin(phase + i / steps * waves * math.pi))
        points.append((x, y))
    points.append((w + 10, stage.height + 10))
    stage.canvas.polygon(points, color)
    if sharp and stage.weather in {"snow", "clear", "wind", "cloudy"}:
        _snow_caps(stage, points[1:-1], base, height)


def _snow_caps(stage: Stage, ridge_points: list[Point], base: float, height: float) -> None:
    cap = stage.lit((240, 244, 250), 0.5)
    for (x0, y0), (x1, y1), (x2, y2) in zip(ridge_points, ridge_points[1:], ridge_points[2:], strict=False):
        if y1 < y0 and y1 < y2 and base - y1 > height * 0.6:
            drop = (base - y1) * 0.22
            left = (x1 + (x0 - x1) * drop / max(1.0, y0 - y1), y1 + drop)
            right = (x1 + (x2 - x1) * drop / max(1.0, y2 - y1), y1 + drop)
            stage.canvas.polygon([(x1, y1), right, ((x1 + right[0]) / 2, y1 + drop * 0.7), left], cap)


def hills(stage: Stage) -> None:
    """Two rolling hill lines at the horizon, the far one hazier."""
    h = stage.horizon
    green = mix(GRASS, stage.palette.pick("secondary", 0), 0.25)
    ridge(stage, h + 2, stage.height * 0.09 * stage.zoom, stage.lit(darken(green, 0.1), 0.75), waves=3)
    ridge(stage, h + stage.height * 0.03, stage.height * 0.05 * stage.zoom, stage.lit(green, 0.45), waves=5)


def mountains(stage: Stage) -> None:
    """A sharp mountain range behind hills."""
    h = stage.horizon
    rock = mix((120, 128, 150), stage.palette.pick("background", 1), 0.35)
    ridge(stage, h + 2, stage.height * 0.32 * stage.zoom, stage.lit(rock, 0.7), waves=4, sharp=True)
    ridge(stage, h + 2, stage.height * 0.16 * stage.zoom, stage.lit(darken(rock, 0.15), 0.5), waves=6, sharp=True)


def grass_ground(stage: Stage) -> None:
    """Grass from the horizon down, with a few tufts."""
    green = stage.ground_color(mix(GRASS, stage.palette.pick("secondary", 0), 0.25))
    stage.band(stage.horizon, stage.height, stage.lit(green, 0.0), stage.lit(green, 0.4))
    tuft = stage.lit(darken(green, 0.18))
    for _ in range(int(40 * stage.width / 1024)):
        x = stage.rng.uniform(0, stage.width)
        t = stage.rng.uniform(0.1, 1.0)
        y = stage.horizon + (stage.height - stage.horizon) * t
        s = 3 + 9 * t * stage.zoom
        stage.canvas.polygon(
            [(x - s, y), (x - s * 0.3, y - s * 1.4), (x, y - s * 0.4), (x + s * 0.4, y - s * 1.2), (x + s, y)], tuft
        )


def path(stage: Stage) -> None:
    """A dirt path winding from the foreground to the horizon."""
    w, h = stage.width, stage.height
    start = w * stage.rng.uniform(0.35, 0.65)
    end = w * stage.rng.uniform(0.4, 0.6)
    bend = w * stage.rng.uniform(-0.12, 0.12)
    left: list[Point] = []
    right: list[Point] = []
    for i in range(25):
        t = i / 24  # 0 at the horizon, 1 at the bottom edge
        y = stage.horizon + (h - stage.horizon) * t
        cx = end + (start - end) * t + bend * math.sin(math.pi * t)
        half = 2 + w * 0.11 * t**1.2 * stage.zoom
        left.append((cx - half, y))
        right.append((cx + half, y))
    dirt = stage.lit(stage.ground_color((196, 170, 126)), 0.1)
    stage.canvas.polygon(left + right[::-1], dirt)


def tree(stage: Stage, x: float, base: float, size: float, depth: float, *, conifer: bool = False) -> None:
    """One stylised tree: a trunk and a cel-shaded crown (round or conifer)."""
    leaf = mix((70, 130, 80), stage.palette.pick("secondary", 0), 0.3)
    if stage.setting.has("autumn", "fall", "maple"):
        leaf = (206, 104, 52)
    if stage.setting.has("cherry", "sakura", "blossom", "spring"):
        leaf = (244, 176, 196)
    leaf_lit, leaf_dark = stage.lit(leaf, depth), stage.lit(darken(leaf, 0.25), depth)
    trunk = stage.lit((102, 72, 52), depth)
    c = stage.canvas
    c.rect(x - size * 0.06, base - size * 0.5, x + size * 0.06, base, trunk)
    if conifer:
        for i, k in enumerate((1.0, 0.78, 0.56)):
            y = base - size * (0.3 + i * 0.28)
            c.polygon([(x - size * 0.32 * k, y), (x, y - size * 0.5 * k), (x + size * 0.32 * k, y)], leaf_dark)
            c.polygon(
                [
                    (x - size * 0.26 * k, y - size * 0.04),
                    (x - size * 0.02, y - size * 0.46 * k),
                    (x + size * 0.06 * k, y - size * 0.04),
                ],
                leaf_lit,
            )
    else:
        c.ellipse(x, base - size * 0.72, size * 0.36, size * 0.32, leaf_dark)
        c.ellipse(x - size * 0.06, base - size * 0.77, size * 0.3, size * 0.26, leaf_lit)
        c.ellipse(x + size * 0.16, base - size * 0.62, size * 0.18, size * 0.16, leaf_dark)
    if stage.weather == "snow":
        snow = stage.lit((244, 246, 252), depth * 0.5)
        if conifer:
            for i, k in enumerate((1.0, 0.78, 0.56)):
                y = base - size * (0.3 + i * 0.28) - size * 0.5 * k
                c.polygon(
                    [(x, y), (x + size * 0.11 * k, y + size * 0.17 * k), (x - size * 0.11 * k, y + size * 0.17 * k)],
                    snow,
                )
        else:
            c.ellipse(x - size * 0.05, base - size * 0.98, size * 0.22, size * 0.07, snow)


def tree_rows(stage: Stage) -> None:
    """A forest: rows of trees from the hazy far line to big near trunks at the frame edges."""
    h = stage.horizon
    conifer = not stage.setting.has("park", "garden", "orchard")
    rows = ((0.8, 0.1, 0.01, 28), (0.5, 0.18, 0.05, 16), (0.2, 0.34, 0.14, 9))
    for depth, size, drop, count in rows:
        for i in range(count):
            x = (i + stage.rng.uniform(0.1, 0.9)) * stage.width / count
            s = stage.height * size * stage.zoom * stage.rng.uniform(0.8, 1.2)
            tree(stage, x, h + stage.height * drop, s, depth, conifer=conifer and stage.rng.random() < 0.7)
    for side in (0.02, 0.98):
        x = stage.width * side
        tree(stage, x, stage.height * 1.02, stage.height * 0.95 * stage.zoom, 0.0, conifer=False)


def sea(stage: Stage, top: float, bottom: float) -> None:
    """Water between two lines: colour from sky and palette, wave strokes, a glitter column under the sun."""
    base = mix(SEA, stage.palette.pick("background", 0), 0.3)
    far = stage.lit(mix(base, stage.sky.horizon, 0.45), 0.3)
    near = stage.lit(darken(base, 0.15))
    stage.band(top, bottom, near, far, steps=20)
    c = stage.canvas
    crest = with_alpha(lighten(far, 0.35), 0.55)
    for _ in range(int(70 * stage.width / 1024)):
        t = stage.rng.random() ** 1.6
        y = top + (bottom - top) * t
        length = (6 + 40 * t) * stage.zoom
        x = stage.rng.uniform(0, stage.width)
        c.line([(x - length, y), (x, y - 1.5 * t * stage.zoom), (x + length, y)], crest, 1 + 2 * t)


def glitter(stage: Stage, x: float, top: float, bottom: float, color: RGB) -> None:
    """Broken horizontal dashes of reflected light below a sun, moon or lamp."""
    for i in range(18):
        t = (i + 0.5) / 18
        y = top + (bottom - top) * t * t
        w = (8 + 60 * t) * stage.rng.uniform(0.5, 1.0)
        dx = stage.rng.uniform(-1, 1) * 10 * t
        stage.canvas.rect(x + dx - w / 2, y, x + dx + w / 2, y + 1 + 2 * t, with_alpha(color, 0.5 * (1 - t * 0.5)))


def shore(stage: Stage, line: float) -> None:
    """Sand from ``line`` to the bottom with a foam edge."""
    sand = stage.ground_color(mix(SAND, stage.palette.pick("secondary", 1), 0.15))
    stage.band(line, stage.height, stage.lit(sand), stage.lit(sand, 0.25), steps=12)
    foam = stage.lit((248, 250, 252))
    points: list[Point] = []
    for i in range(41):
        x = stage.width * i / 40
        points.append((x, line + math.sin(i * 0.9 + stage.rng.uniform(0, 0.6)) * 3 * stage.zoom))
    stage.canvas.line(points, foam, 3 * stage.zoom)


def boat(stage: Stage, x: float, y: float, size: float, depth: float) -> None:
    """A small fishing boat: hull, cabin and mast."""
    hull = stage.lit(stage.palette.pick("primary", 1), depth)
    c = stage.canvas
    c.polygon(
        [
            (x - size, y - size * 0.25),
            (x + size, y - size * 0.25),
            (x + size * 0.75, y + size * 0.08),
            (x - size * 0.8, y + size * 0.08),
        ],
        hull,
    )
    c.rect(x - size * 0.3, y - size * 0.6, x + size * 0.2, y - size * 0.25, stage.lit((236, 232, 222), depth))
    c.line(
        [(x + size * 0.45, y - size * 0.25), (x + size * 0.45, y - size * 1.3)],
        stage.lit((90, 70, 60), depth),
        max(1.0, size * 0.06),
    )
    if stage.night:
        c.ellipse(x - size * 0.05, y - size * 0.45, size * 0.08, size * 0.08, stage.lamp())


def lighthouse(stage: Stage, x: float, base: float, height: float) -> None:
    """A tapered striped tower with a lamp room; at night or in storms a beam sweeps out."""
    c = stage.canvas
    w0, w1 = height * 0.13, height * 0.085
    white = stage.lit((240, 236, 228), 0.2)
    stripe = stage.lit(mix((200, 60, 50), stage.palette.pick("primary", 1), 0.3), 0.2)
    c.polygon([(x - w0, base), (x + w0, base), (x + w1, base - height), (x - w1, base - height)], white)
    for k in (0.18, 0.52):
        y0, y1 = base - height * k, base - height * (k + 0.16)
        a0, a1 = w0 + (w1 - w0) * k, w0 + (w1 - w0) * (k + 0.16)
        c.polygon([(x - a0, y0), (x + a0, y0), (x + a1, y1), (x - a1, y1)], stripe)
    top = base - height
    lamp_on = stage.night or stage.weather in {"storm", "fog", "rain"}
    glass = stage.lamp() if lamp_on else stage.lit((180, 200, 210), 0.2)
    c.rect(x - w1 * 0.8, top - height * 0.12, x + w1 * 0.8, top, glass)
    c.polygon(
        [(x - w1 * 1.1, top - height * 0.12), (x + w1 * 1.1, top - height * 0.12), (x, top - height * 0.24)], stripe
    )
    c.rect(x - w1 * 1.2, top - 2, x + w1 * 1.2, top + height * 0.02, stage.lit((60, 56, 60), 0.2))
    if lamp_on:
        ly = top - height * 0.06
        beam = lighten(stage.lamp(), 0.4)
        # Beams fade with distance: stacked segments, each wider and fainter than the last.
        for direction, spread in ((-1, 0.55), (1, 0.3)):
            for k in range(5):
                near, far = stage.width * 0.09 * k, stage.width * 0.09 * (k + 1)
                w0, w1 = height * 0.02 + near * spread * 0.25, height * 0.02 + far * spread * 0.25
                points = [
                    (x + direction * near, ly - w0),
                    (x + direction * far, ly - w1),
                    (x + direction * far, ly + w1),
                    (x + direction * near, ly + w0),
                ]
                c.polygon(points, with_alpha(beam, 0.2 * (1 - k / 5)))
        c.ellipse(x, ly, height * 0.1, height * 0.1, with_alpha(lighten(stage.lamp(), 0.5), 0.5))


def headland(stage: Stage, x0: float, x1: float, base: float, top: float, *, mirror: bool = False) -> float:
    """A rocky headland rising out of the sea, cliff faces shaded, grass on top; returns its peak's x."""
    rock = mix(STONE, stage.palette.pick("background", 1), 0.25)
    grass = stage.lit(stage.ground_color(mix(GRASS, stage.palette.pick("secondary", 0), 0.25)), 0.35)
    c = stage.canvas
    span = x1 - x0
    rim: list[Point] = [(x0, base)]
    for i in range(9):
        t = i / 8
        lift = math.sin(math.pi * min(1.0, t * 1.6)) ** 0.5 if t < 0.62 else 1.0 - (t - 0.62) * 0.9
        u = 1 - t if mirror else t
        rim.append((x0 + span * (0.08 + 0.84 * u), base - (base - top) * lift + stage.rng.uniform(-2, 2)))
    rim.append((x1, base))
    if mirror:
        rim = [rim[0], *reversed(rim[1:-1]), rim[-1]]
    c.polygon(rim, stage.lit(rock, 0.35))
    shade = rim[5:] if not mirror else rim[:6]
    c.polygon([*shade, (x0 + span * 0.5, base)], stage.lit(darken(rock, 0.2), 0.35))
    c.line(rim[1:-1], grass, max(3.0, (base - top) * 0.08))
    return x0 + span * (0.08 + 0.84 * (0.38 if mirror else 0.62))


def torii(stage: Stage, x: float, base: float, size: float) -> None:
    """A red shrine gate."""
    red = stage.lit((196, 56, 44), 0.15)
    dark = stage.lit((40, 34, 36), 0.15)
    c = stage.canvas
    for side in (-1, 1):
        c.rect(x + side * size * 0.32 - size * 0.04, base - size, x + side * size * 0.32 + size * 0.04, base, red)
    c.polygon(
        [
            (x - size * 0.62, base - size * 1.02),
            (x + size * 0.62, base - size * 1.02),
            (x + size * 0.55, base - size * 0.92),
            (x - size * 0.55, base - size * 0.92),
        ],
        dark,
    )
    c.rect(x - size * 0.52, base - size * 0.92, x + size * 0.52, base - size * 0.86, red)
    c.rect(x - size * 0.44, base - size * 0.74, x + size * 0.44, base - size * 0.68, red)


def fence(stage: Stage, y: float, size: float) -> None:
    """A wooden fence across the frame."""
    wood = stage.lit((150, 112, 80), 0.25)
    c = stage.canvas
    step = size * 1.2
    x = stage.rng.uniform(0, step)
    while x < stage.width:
        c.rect(x - size * 0.06, y - size, x + size * 0.06, y, wood)
        x += step
    c.rect(0, y - size * 0.8, stage.width, y - size * 0.7, wood)
    c.rect(0, y - size * 0.45, stage.width, y - size * 0.35, wood)
