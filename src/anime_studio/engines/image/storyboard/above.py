"""Bird's-eye backgrounds: the ground seen from straight above (streets and roofs, tree crowns, water)."""

from __future__ import annotations

from anime_studio.engines.image.storyboard import outdoor, town
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, with_alpha
from anime_studio.engines.image.storyboard.stage import Stage


def from_above(stage: Stage) -> None:
    """Dispatch on the location kind."""
    kind = stage.setting.kind
    if kind in {"town", "sky"}:
        _streets(stage)
    elif kind in {"sea", "beach", "harbour", "lighthouse"}:
        _coast(stage, sand=kind == "beach")
    else:
        _greens(stage)


def _streets(stage: Stage) -> None:
    c, w, h, z = stage.canvas, stage.width, stage.height, stage.zoom
    pave = stage.lit(stage.ground_color(mix(town.PAVEMENT, stage.palette.pick("background", 1), 0.2)))
    road = stage.lit(stage.ground_color(mix(town.ASPHALT, stage.palette.pick("background", 0), 0.2)))
    c.rect(0, 0, w, h, pave)
    x0, x1 = w * 0.4, w * 0.6
    c.rect(x0, 0, x1, h, road)
    mark = stage.lit((232, 228, 214))
    y = 0.0
    while y < h:
        c.rect(w * 0.497, y, w * 0.503, y + h * 0.05, mark)
        y += h * 0.1
    for i in range(7):
        cx = x0 + (x1 - x0) * (i + 0.5) / 7
        c.rect(cx - w * 0.008, h * 0.56, cx + w * 0.008, h * 0.66, mark)
    for side in (0, 1):
        y = -stage.rng.uniform(0, h * 0.2)
        while y < h:
            bh = h * stage.rng.uniform(0.22, 0.38) * z
            bx0, bx1 = (0.0, w * 0.33) if side == 0 else (w * 0.67, w)
            _roof(
                stage,
                bx0 + w * 0.01,
                y,
                bx1 - w * 0.01,
                y + bh,
                stage.palette.pick("primary" if side else "secondary", int(y)),
            )
            y += bh + h * 0.03
    for _ in range(4):
        tx = stage.rng.choice((w * 0.36, w * 0.64))
        _crown(stage, tx, stage.rng.uniform(0, h), h * 0.04 * z)


def _roof(stage: Stage, x0: float, y0: float, x1: float, y1: float, color: RGB) -> None:
    c = stage.canvas
    inset = (y1 - y0) * 0.12  # the building's height shows as a cast shadow and a darker parapet
    c.rect(x0 + inset, y0 + inset, x1 + inset, y1 + inset, (20, 18, 30, 60))
    roof = mix(color, (200, 190, 180), 0.25)
    c.rect(x0, y0, x1, y1, stage.lit(darken(roof, 0.15)))
    top = stage.lit((238, 242, 248)) if stage.weather == "snow" else stage.lit(roof)
    c.rect(x0 + inset * 0.3, y0 + inset * 0.3, x1 - inset * 0.3, y1 - inset * 0.3, top)
    c.rect(
        x0 + (x1 - x0) * 0.2,
        y0 + (y1 - y0) * 0.25,
        x0 + (x1 - x0) * 0.35,
        y0 + (y1 - y0) * 0.4,
        stage.lit(darken(roof, 0.3)),
    )


def _crown(stage: Stage, x: float, y: float, r: float) -> None:
    leaf = mix((70, 130, 80), stage.palette.pick("secondary", 0), 0.3)
    c = stage.canvas
    c.ellipse(x + r * 0.3, y + r * 0.3, r, r, (20, 18, 30, 60))
    c.ellipse(x, y, r, r, stage.lit(darken(leaf, 0.2)))
    c.ellipse(x - r * 0.2, y - r * 0.2, r * 0.7, r * 0.7, stage.lit(leaf))


def _greens(stage: Stage) -> None:
    c, w, h = stage.canvas, stage.width, stage.height
    grass = stage.lit(stage.ground_color(mix(outdoor.GRASS, stage.palette.pick("secondary", 0), 0.25)))
    c.rect(0, 0, w, h, grass)
    dirt = stage.lit(stage.ground_color((196, 170, 126)))
    path = [
        (w * 0.3, -5.0),
        (w * 0.42, -5.0),
        (w * 0.62, h * 0.5),
        (w * 0.5, h + 5),
        (w * 0.38, h + 5),
        (w * 0.5, h * 0.5),
    ]
    c.polygon(path, dirt)
    count = 26 if stage.setting.kind == "forest" else 9
    for _ in range(count):
        _crown(stage, stage.rng.uniform(0, w), stage.rng.uniform(0, h), h * stage.rng.uniform(0.05, 0.1) * stage.zoom)


def _coast(stage: Stage, *, sand: bool) -> None:
    c, w, h = stage.canvas, stage.width, stage.height
    sea = stage.lit(mix(outdoor.SEA, stage.palette.pick("background", 0), 0.3))
    c.rect(0, 0, w, h, sea)
    crest = with_alpha(lighten(sea, 0.35), 0.6)
    for _ in range(40):
        x, y = stage.rng.uniform(0, w), stage.rng.uniform(0, h)
        c.line([(x - 12, y), (x, y - 3), (x + 12, y)], crest, 1.5)
    # Land along the bottom, where the characters stand; the sea beyond a diagonal foam line.
    land = stage.lit(stage.ground_color(outdoor.SAND if sand else outdoor.STONE))
    shore = [(-5.0, h * 0.5), (w + 5, h * 0.3)]
    c.polygon([*shore, (w + 5, h + 5), (-5, h + 5)], land)
    c.line(shore, stage.lit((248, 250, 252)), 4)
