"""Town pieces: rows of buildings with lit windows, the street, lamps and festival lantern strings."""

from __future__ import annotations

import math

from anime_studio.engines.image.storyboard.canvas import Point
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, with_alpha
from anime_studio.engines.image.storyboard.stage import Stage

ASPHALT: RGB = (112, 112, 122)
PAVEMENT: RGB = (176, 170, 160)


def building_row(
    stage: Stage, base: float, *, depth: float, height: float, width: float, x0: float = 0, x1: float | None = None
) -> None:
    """Buildings side by side along ``base`` between ``x0`` and ``x1`` (final px), heights around ``height``."""
    end = stage.width if x1 is None else x1
    x = x0 - stage.rng.uniform(0, width * 0.5)
    i = stage.rng.randint(0, 5)
    while x < end:
        w = width * stage.rng.uniform(0.7, 1.3)
        h = height * stage.rng.uniform(0.6, 1.35)
        role = "primary" if i % 2 == 0 else "secondary"
        wall = mix(stage.palette.pick(role, i // 2), (214, 204, 190), 0.35)
        building(stage, x, base, w, h, wall, depth, gable=stage.rng.random() < 0.45)
        x += w + width * stage.rng.uniform(0.0, 0.08)
        i += 1


def building(stage: Stage, x: float, base: float, w: float, h: float, wall: RGB, depth: float, *, gable: bool) -> None:
    """One building: wall with a shaded side, roof, a grid of windows (some lit at night), a door."""
    c = stage.canvas
    face = stage.lit(wall, depth)
    side = stage.lit(darken(wall, 0.2), depth)
    roof_color = stage.lit(mix(darken(wall, 0.45), (70, 60, 80), 0.4), depth)
    c.rect(x, base - h, x + w, base, face)
    c.rect(x + w * 0.86, base - h, x + w, base, side)
    top = base - h
    if gable:
        c.polygon([(x - w * 0.06, top), (x + w / 2, top - h * 0.22), (x + w * 1.06, top)], roof_color)
        if stage.weather == "snow":
            c.polygon(
                [(x - w * 0.06, top), (x + w / 2, top - h * 0.22), (x + w * 1.06, top), (x + w / 2, top - h * 0.16)],
                stage.lit((240, 244, 250)),
            )
    else:
        c.rect(x - w * 0.02, top - h * 0.04, x + w * 1.02, top, roof_color)
    _windows(stage, x, top, w, h, face, depth)
    if depth < 0.6:
        door = stage.lit(darken(wall, 0.5), depth)
        dx = x + w * stage.rng.uniform(0.2, 0.6)
        c.rect(dx, base - h * 0.2, dx + w * 0.16, base, door)
        if stage.rng.random() < 0.5:
            awning = stage.lit(stage.palette.pick("accent", stage.rng.randint(0, 3)), depth)
            c.polygon(
                [
                    (dx - w * 0.08, base - h * 0.22),
                    (dx + w * 0.24, base - h * 0.22),
                    (dx + w * 0.28, base - h * 0.16),
                    (dx - w * 0.12, base - h * 0.16),
                ],
                awning,
            )


def _windows(stage: Stage, x: float, top: float, w: float, h: float, face: RGB, depth: float) -> None:
    c = stage.canvas
    cols = max(1, int(w / (h * 0.22 + 1) + 0.5))
    rows = max(1, int(h / (w / cols * 1.3 + 1)))
    cell_w, cell_h = w * 0.86 / cols, h * 0.78 / rows
    glass_day = stage.lit(mix(stage.sky.horizon, darken(face, 0.4), 0.45), depth)
    dark = darken(face, 0.35)
    lamp = stage.lamp()
    for r in range(rows):
        for k in range(cols):
            wx, wy = x + w * 0.05 + k * cell_w + cell_w * 0.22, top + h * 0.08 + r * cell_h + cell_h * 0.2
            ww, wh = cell_w * 0.56, cell_h * 0.5
            if ww < 1.2 or wh < 1.2:
                continue
            lit_window = stage.rng.random() < stage.sky.windows_lit
            color = (mix(lamp, stage.sky.haze, depth * 0.4) if lit_window else dark) if stage.night else glass_day
            if lit_window and not stage.night and stage.sky.windows_lit > 0.2:
                color = mix(glass_day, lamp, 0.6)
            c.rect(wx, wy, wx + ww, wy + wh, color)


def street(stage: Stage, top: float) -> None:
    """Pavement along the buildings, then the road with lane marks converging on the vanishing point."""
    c = stage.canvas
    pave = stage.ground_color(mix(PAVEMENT, stage.palette.pick("background", 1), 0.2))
    road = stage.ground_color(mix(ASPHALT, stage.palette.pick("background", 0), 0.2))
    curb = top + (stage.height - top) * 0.14
    stage.band(top, curb, stage.lit(pave), stage.lit(pave, 0.2), steps=6)
    c.rect(0, curb, stage.width, curb + 2 * stage.zoom, stage.lit(darken(pave, 0.3)))
    stage.band(curb + 2 * stage.zoom, stage.height, stage.lit(road), stage.lit(road, 0.25), steps=16)
    vx = stage.width * 0.5
    mark = stage.lit((230, 226, 210), 0.1)
    for i in range(8):
        t0, t1 = (i + 0.2) / 8, (i + 0.6) / 8
        y0, y1 = curb + (stage.height - curb) * t0**1.5, curb + (stage.height - curb) * t1**1.5
        w0, w1 = 1 + 6 * t0**1.5 * stage.zoom, 1 + 6 * t1**1.5 * stage.zoom
        c.polygon([(vx - w0, y0), (vx + w0, y0), (vx + w1, y1), (vx - w1, y1)], mark)
    if stage.weather in {"rain", "storm"}:
        puddles(stage, curb, stage.height)


def puddles(stage: Stage, top: float, bottom: float) -> None:
    """Flat reflective puddles: lighter ellipses that catch the sky (or the lamps at night)."""
    shine = stage.lamp() if stage.night else lighten(stage.sky.horizon, 0.2)
    for _ in range(7):
        t = stage.rng.uniform(0.15, 1.0)
        y = top + (bottom - top) * t
        x = stage.rng.uniform(0, stage.width)
        stage.canvas.ellipse(x, y, (20 + 60 * t) * stage.zoom, (2 + 7 * t) * stage.zoom, with_alpha(shine, 0.35))


def lamp_posts(stage: Stage, base: float, size: float) -> None:
    """Street lamps along ``base``; they glow in the evening and at night."""
    c = stage.canvas
    post = stage.lit((54, 58, 70), 0.1)
    count = 3
    offset = stage.rng.uniform(0.1, 0.25)
    for i in range(count):
        x = stage.width * (offset + i * 0.33)
        c.rect(x - size * 0.02, base - size, x + size * 0.02, base, post)
        c.rect(x - size * 0.08, base - size - size * 0.02, x + size * 0.08, base - size + size * 0.03, post)
        bulb = stage.lamp() if stage.night or stage.weather in {"storm", "fog"} else stage.lit((220, 224, 228))
        c.ellipse(x, base - size + size * 0.06, size * 0.05, size * 0.04, bulb)
        if stage.night:
            c.ellipse(x, base - size + size * 0.06, size * 0.14, size * 0.14, with_alpha(bulb, 0.2))
            c.ellipse(x, base, size * 0.3, size * 0.05, with_alpha(bulb, 0.16))


def lantern_strings(stage: Stage, y: float, count: int = 2) -> None:
    """Festival strings of round paper lanterns sagging across the frame."""
    c = stage.canvas
    for k in range(count):
        y0 = y + k * stage.height * 0.09 * stage.zoom
        sag = stage.height * 0.05 * stage.zoom
        points: list[Point] = [(stage.width * i / 30, y0 + sag * math.sin(math.pi * i / 30)) for i in range(31)]
        c.line(points, stage.lit((40, 36, 40)), 1.0)
        step = max(3, int(8 / max(0.5, stage.zoom)))
        for i in range(2, 30, step):
            lx, ly = points[i]
            r = stage.height * 0.018 * stage.zoom
            color = stage.palette.pick("accent", i + k) if (i + k) % 3 else (214, 70, 60)
            lantern = mix(color, (255, 230, 170), 0.3) if stage.night else stage.lit(color)
            if stage.night:
                c.ellipse(lx, ly + r * 1.2, r * 2.4, r * 2.4, with_alpha(lantern, 0.18))
            c.ellipse(lx, ly + r * 1.2, r, r * 1.15, lantern)
            c.rect(lx - r * 0.5, ly + r * 0.05, lx + r * 0.5, ly + r * 0.25, stage.lit((40, 36, 40)))


def town(stage: Stage) -> None:
    """A street: a hazy far row, a near row of buildings, pavement and road, lamps, lanterns at festivals."""
    h = stage.horizon
    z = stage.zoom
    base = h + stage.height * 0.05 * z
    building_row(stage, h + 1, depth=0.75, height=stage.height * 0.14 * z, width=stage.width * 0.07 * z)
    building_row(stage, base, depth=0.25, height=stage.height * 0.3 * z, width=stage.width * 0.16 * z)
    street(stage, base)
    if stage.night or stage.weather in {"fog", "storm"}:
        lamp_posts(stage, base + stage.height * 0.02 * z, stage.height * 0.3 * z)
    if stage.setting.has("festival", "lantern", "lanterns", "matsuri", "fair"):
        lantern_strings(stage, max(stage.height * 0.08, base - stage.height * 0.36 * z))
