"""Interiors in one-point perspective: back wall, side walls, floorboards, a window onto the scene's sky."""

from __future__ import annotations

from dataclasses import dataclass

from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, with_alpha
from anime_studio.engines.image.storyboard.stage import Stage

WOOD: RGB = (168, 118, 80)
CREAM: RGB = (236, 226, 208)


@dataclass(frozen=True)
class Room:
    """The back wall rectangle and the vanishing point, in final px."""

    vx: float
    vy: float
    x0: float
    y0: float
    x1: float
    y1: float

    def along(self, x: float, y: float, to_y: float) -> float:
        """x where the line from the vanishing point through (x, y) meets ``to_y``."""
        if abs(y - self.vy) < 1e-6:
            return x
        return self.vx + (x - self.vx) * (to_y - self.vy) / (y - self.vy)


def room(stage: Stage) -> None:
    """A room: walls, floor, ceiling, then furniture chosen by the location words."""
    z = stage.zoom
    vx = stage.width * stage.rng.uniform(0.44, 0.56)
    r = Room(vx, stage.horizon, vx - stage.width * 0.3 * z, stage.horizon - stage.height * 0.3 * z,
             vx + stage.width * 0.3 * z, stage.horizon + stage.height * 0.16 * z)  # fmt: skip
    _shell(stage, r)
    if stage.setting.kind == "classroom" or stage.setting.has("school"):
        _classroom(stage, r)
    elif stage.setting.has("library", "study", "bookshop", "bookstore"):
        _shelves(stage, r, books=True)
    elif stage.setting.has("cafe", "shop", "store", "bar", "restaurant", "bakery", "teahouse", "inn"):
        _shelves(stage, r, books=False)
        _counter(stage, r)
    else:
        _window(
            stage, r.x0 + (r.x1 - r.x0) * 0.12, r.y0 + (r.y1 - r.y0) * 0.18, (r.x1 - r.x0) * 0.34, (r.y1 - r.y0) * 0.46
        )
        _frame_and_plant(stage, r)
        if stage.setting.has("bedroom", "bed", "dorm"):
            _bed(stage, r)
    if stage.night:
        _pendant_lamp(stage, r)


def _shell(stage: Stage, r: Room) -> None:
    c = stage.canvas
    w, h = stage.width, stage.height
    wall = mix(CREAM, stage.palette.pick("secondary", 0), 0.28)
    floor = mix(WOOD, stage.palette.pick("primary", 1), 0.2)
    left_floor, right_floor = r.along(r.x0, r.y1, h), r.along(r.x1, r.y1, h)
    left_ceil, right_ceil = r.along(r.x0, r.y0, 0), r.along(r.x1, r.y0, 0)
    c.rect(0, 0, w, h, stage.lit(lighten(wall, 0.2)))  # ceiling colour fills whatever is left
    c.polygon(
        [(r.x0, r.y0), (r.x0, r.y1), (left_floor, h), (-w, h), (-w, 0), (left_ceil, 0)], stage.lit(darken(wall, 0.12))
    )
    c.polygon(
        [(r.x1, r.y0), (r.x1, r.y1), (right_floor, h), (2 * w, h), (2 * w, 0), (right_ceil, 0)],
        stage.lit(darken(wall, 0.18)),
    )
    c.polygon([(r.x0, r.y1), (r.x1, r.y1), (right_floor, h), (left_floor, h)], stage.lit(floor))
    c.polygon([(r.x0, r.y0), (r.x1, r.y0), (right_ceil, 0), (left_ceil, 0)], stage.lit(lighten(wall, 0.25)))
    c.rect(r.x0, r.y0, r.x1, r.y1, stage.lit(wall))
    board = stage.lit(darken(floor, 0.22))
    for i in range(1, 12):
        x = r.x0 + (r.x1 - r.x0) * i / 12
        c.line([(x, r.y1), (r.along(x, r.y1, h), h)], board, 1.2)
    skirting = stage.lit(darken(wall, 0.35))
    c.rect(r.x0, r.y1 - (r.y1 - r.y0) * 0.03, r.x1, r.y1, skirting)


def _window(stage: Stage, x: float, y: float, w: float, h: float) -> None:
    """A window showing the scene's sky, with a frame and curtains in the accent colour."""
    c = stage.canvas
    sky = stage.sky
    frame = stage.lit((238, 234, 226))
    c.rect(x - w * 0.05, y - h * 0.05, x + w * 1.05, y + h * 1.05, frame)
    steps = 10
    for i in range(steps):
        color = mix(sky.top, sky.horizon, (i + 0.5) / steps)
        c.rect(x, y + h * i / steps, x + w, y + h * (i + 1) / steps + 1, color)
    if sky.moon:
        c.ellipse(x + w * 0.72, y + h * 0.28, h * 0.08, h * 0.08, (244, 240, 222))
    if stage.weather in {"rain", "storm"}:
        for _ in range(14):
            sx = x + w * stage.rng.random()
            sy = y + h * stage.rng.random() * 0.8
            c.line([(sx, sy), (sx - h * 0.03, sy + h * 0.15)], (210, 220, 236, 120), 1.0)
    c.rect(x + w * 0.48, y, x + w * 0.52, y + h, frame)
    c.rect(x, y + h * 0.48, x + w, y + h * 0.52, frame)
    curtain = stage.lit(stage.palette.pick("accent", 0))
    c.polygon(
        [
            (x - w * 0.1, y - h * 0.08),
            (x + w * 0.12, y - h * 0.08),
            (x - w * 0.02, y + h * 1.1),
            (x - w * 0.12, y + h * 1.1),
        ],
        curtain,
    )
    c.polygon(
        [
            (x + w * 0.88, y - h * 0.08),
            (x + w * 1.1, y - h * 0.08),
            (x + w * 1.12, y + h * 1.1),
            (x + w * 1.02, y + h * 1.1),
        ],
        curtain,
    )


def _classroom(stage: Stage, r: Room) -> None:
    c = stage.canvas
    bw, bh = r.x1 - r.x0, r.y1 - r.y0
    c.rect(r.x0 + bw * 0.18, r.y0 + bh * 0.16, r.x1 - bw * 0.18, r.y0 + bh * 0.62, stage.lit((150, 112, 76)))
    c.rect(r.x0 + bw * 0.2, r.y0 + bh * 0.18, r.x1 - bw * 0.2, r.y0 + bh * 0.6, stage.lit((46, 84, 66)))
    chalk = stage.lit((226, 230, 220))
    for i in range(3):
        y = r.y0 + bh * (0.27 + i * 0.1)
        x = r.x0 + bw * (0.26 + 0.04 * i)
        c.line([(x, y), (x + bw * (0.28 - 0.06 * i), y + bh * 0.01)], chalk, 1.2)
    _side_windows(stage, r)
    desk = stage.lit(mix(WOOD, (206, 176, 128), 0.45))
    front = stage.lit(darken(mix(WOOD, (206, 176, 128), 0.45), 0.25))
    leg = stage.lit((96, 96, 108))
    for row in range(3):
        t = 0.25 + 0.25 * row  # 0 at the back wall, 1 at the bottom edge
        y = r.y1 + (stage.height - r.y1) * t
        size = bw * 0.16 * (0.5 + t * 1.2)
        for col in (-1.5, -0.5, 0.5, 1.5):
            x = r.vx + col * size * 1.7
            c.rect(x - size * 0.42, y, x - size * 0.36, y + size * 0.45, leg)
            c.rect(x + size * 0.36, y, x + size * 0.42, y + size * 0.45, leg)
            c.rect(x - size * 0.48, y - size * 0.12, x + size * 0.48, y, desk)
            c.rect(x - size * 0.48, y, x + size * 0.48, y + size * 0.07, front)


def _side_windows(stage: Stage, r: Room) -> None:
    """Tall windows in the left wall, foreshortened towards the back wall, showing the sky."""
    c = stage.canvas
    glass = mix(stage.sky.horizon, stage.sky.top, 0.35)
    frame = stage.lit((236, 232, 224))
    for a, b in ((0.12, 0.38), (0.5, 0.72)):
        xa, xb = r.x0 * a, r.x0 * b  # along the wall from the frame edge to the back wall
        top_a, top_b = (
            r.vy + (r.y0 - r.vy) * (r.vx - xa) / (r.vx - r.x0) * 0.8,
            r.vy + (r.y0 - r.vy) * (r.vx - xb) / (r.vx - r.x0) * 0.8,
        )
        bot_a, bot_b = (
            r.vy + (r.y1 - r.vy) * (r.vx - xa) / (r.vx - r.x0) * 0.2,
            r.vy + (r.y1 - r.vy) * (r.vx - xb) / (r.vx - r.x0) * 0.2,
        )
        c.polygon([(xa, top_a), (xb, top_b), (xb, bot_b), (xa, bot_a)], frame)
        inset = (xb - xa) * 0.08
        c.polygon(
            [
                (xa + inset, top_a + inset),
                (xb - inset, top_b + inset),
                (xb - inset, bot_b - inset),
                (xa + inset, bot_a - inset),
            ],
            glass,
        )


def _shelves(stage: Stage, r: Room, *, books: bool) -> None:
    c = stage.canvas
    bw, bh = r.x1 - r.x0, r.y1 - r.y0
    wood = stage.lit(darken(WOOD, 0.2))
    x0, x1 = r.x0 + bw * 0.08, r.x1 - bw * 0.08
    for k in range(4):
        y = r.y0 + bh * (0.2 + k * 0.17)
        c.rect(x0, y, x1, y + bh * 0.02, wood)
        x = x0 + 2
        while x < x1 - bw * 0.03:
            item_w = bw * stage.rng.uniform(0.015, 0.03) if books else bw * 0.05
            item_h = bh * stage.rng.uniform(0.09, 0.13) if books else bh * 0.08
            color = stage.lit(
                stage.palette.pick(stage.rng.choice(("primary", "secondary", "accent")), stage.rng.randint(0, 3))
            )
            if books:
                c.rect(x, y - item_h, x + item_w, y, color)
            else:
                c.ellipse(x + item_w / 2, y - item_h / 2, item_w * 0.35, item_h * 0.5, color)
            x += item_w + (1 if books else bw * 0.03)


def _counter(stage: Stage, r: Room) -> None:
    c = stage.canvas
    top = r.y1 - (r.y1 - r.y0) * 0.05
    wood = mix(WOOD, stage.palette.pick("primary", 0), 0.3)
    c.rect(
        r.x0 - stage.width * 0.05,
        top,
        r.x1 + stage.width * 0.05,
        top + stage.height * 0.12 * stage.zoom,
        stage.lit(darken(wood, 0.15)),
    )
    c.rect(
        r.x0 - stage.width * 0.06,
        top - stage.height * 0.015 * stage.zoom,
        r.x1 + stage.width * 0.06,
        top,
        stage.lit(lighten(wood, 0.15)),
    )


def _frame_and_plant(stage: Stage, r: Room) -> None:
    c = stage.canvas
    bw, bh = r.x1 - r.x0, r.y1 - r.y0
    fx, fy = r.x0 + bw * 0.62, r.y0 + bh * 0.22
    c.rect(fx, fy, fx + bw * 0.2, fy + bh * 0.26, stage.lit((120, 90, 64)))
    c.rect(
        fx + bw * 0.015,
        fy + bh * 0.02,
        fx + bw * 0.185,
        fy + bh * 0.24,
        stage.lit(lighten(stage.palette.pick("background", 1), 0.2)),
    )
    c.polygon(
        [(fx + bw * 0.02, fy + bh * 0.24), (fx + bw * 0.09, fy + bh * 0.1), (fx + bw * 0.18, fy + bh * 0.24)],
        stage.lit(stage.palette.pick("primary", 0)),
    )
    px, py = r.x1 - bw * 0.08, r.y1
    c.polygon(
        [
            (px - bw * 0.035, py - bh * 0.1),
            (px + bw * 0.035, py - bh * 0.1),
            (px + bw * 0.025, py),
            (px - bw * 0.025, py),
        ],
        stage.lit((176, 96, 64)),
    )
    leaf = stage.lit((78, 140, 84))
    for dx, dy in ((-0.04, -0.2), (0.0, -0.26), (0.045, -0.19)):
        c.ellipse(px + bw * dx, py + bh * dy, bw * 0.03, bh * 0.09, leaf)


def _bed(stage: Stage, r: Room) -> None:
    """A bed against the right of the back wall: frame, mattress, blanket in the palette, pillow."""
    c = stage.canvas
    bw, bh = r.x1 - r.x0, r.y1 - r.y0
    x0, x1 = r.x0 + bw * 0.55, r.x1 - bw * 0.02
    y = r.y1 + (stage.height - r.y1) * 0.35
    wood = stage.lit(darken(WOOD, 0.2))
    c.rect(x1 - bw * 0.04, r.y1 - bh * 0.35, x1, y, wood)
    c.polygon(
        [(x0, y - bh * 0.12), (x1, y - bh * 0.12), (x1, y), (x0 - bw * 0.05, y + bh * 0.02)], stage.lit((240, 238, 232))
    )
    blanket = stage.lit(stage.palette.pick("primary", 0))
    c.polygon(
        [
            (x0, y - bh * 0.12),
            (x1 - bw * 0.12, y - bh * 0.13),
            (x1 - bw * 0.12, y + bh * 0.06),
            (x0 - bw * 0.06, y + bh * 0.08),
        ],
        blanket,
    )
    c.ellipse(x1 - bw * 0.08, y - bh * 0.14, bw * 0.05, bh * 0.04, stage.lit((250, 248, 244)))
    c.rect(x0 - bw * 0.06, y + bh * 0.08, x1, y + bh * 0.14, wood)


def _pendant_lamp(stage: Stage, r: Room) -> None:
    c = stage.canvas
    x = r.vx
    y = r.y0 + (r.y1 - r.y0) * 0.12
    c.line([(x, 0), (x, y)], stage.lit((50, 46, 50)), 1.2)
    warm = stage.lamp()
    c.ellipse(x, y + 10, stage.height * 0.3, stage.height * 0.3, with_alpha(warm, 0.12))
    c.polygon(
        [
            (x - 14 * stage.zoom, y + 10 * stage.zoom),
            (x + 14 * stage.zoom, y + 10 * stage.zoom),
            (x + 6, y),
            (x - 6, y),
        ],
        stage.lit(stage.palette.pick("primary", 0)),
    )
    c.ellipse(x, y + 11 * stage.zoom, 5 * stage.zoom, 3 * stage.zoom, warm)
