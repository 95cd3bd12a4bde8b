"""Background by location kind: which pieces are drawn where, back to front."""

from __future__ import annotations

from collections.abc import Callable

from anime_studio.engines.image.storyboard import outdoor, town
from anime_studio.engines.image.storyboard.above import from_above
from anime_studio.engines.image.storyboard.colors import darken, lighten, mix
from anime_studio.engines.image.storyboard.interior import room
from anime_studio.engines.image.storyboard.stage import Stage


def draw_background(stage: Stage, sun_x: float) -> None:
    """Draw the setting's background (the sky is already there)."""
    if stage.horizon < 0 and stage.setting.outdoor:
        from_above(stage)
        return
    BACKGROUNDS.get(stage.setting.kind, _field)(stage)
    if stage.setting.kind in {"sea", "beach", "harbour", "lighthouse"} and (stage.sky.sun or stage.sky.moon):
        color = lighten(stage.sky.sun or (230, 236, 255), 0.4)
        outdoor.glitter(stage, sun_x, stage.horizon + 2, stage.horizon + (stage.height - stage.horizon) * 0.5, color)


def _field(stage: Stage) -> None:
    outdoor.hills(stage)
    outdoor.grass_ground(stage)
    h, z = stage.horizon, stage.zoom
    for i in range(3):
        x = stage.width * (0.12 + 0.36 * i + stage.rng.uniform(-0.06, 0.06))
        outdoor.tree(stage, x, h + stage.height * 0.04, stage.height * 0.16 * z, 0.4)
    outdoor.path(stage)
    if stage.setting.has("farm", "countryside", "fence", "ranch"):
        outdoor.fence(stage, h + (stage.height - h) * 0.35, stage.height * 0.05 * z)


def _forest(stage: Stage) -> None:
    outdoor.hills(stage)
    outdoor.grass_ground(stage)
    outdoor.tree_rows(stage)
    if stage.setting.has("shrine", "temple", "torii"):
        outdoor.torii(
            stage,
            stage.width * stage.rng.uniform(0.3, 0.7),
            stage.horizon + stage.height * 0.12,
            stage.height * 0.3 * stage.zoom,
        )


def _mountain(stage: Stage) -> None:
    outdoor.mountains(stage)
    outdoor.hills(stage)
    outdoor.grass_ground(stage)
    outdoor.path(stage)


def _sea(stage: Stage) -> None:
    if stage.rng.random() < 0.6:
        island = mix((100, 120, 140), stage.palette.pick("background", 1), 0.3)
        x = stage.width * stage.rng.uniform(0.1, 0.9)
        w = stage.width * 0.12 * stage.zoom
        stage.canvas.ellipse(x, stage.horizon + 1, w, stage.height * 0.025 * stage.zoom, stage.lit(island, 0.75))
    outdoor.sea(stage, stage.horizon, stage.height)
    for _ in range(stage.rng.randint(0, 2)):
        outdoor.boat(
            stage,
            stage.width * stage.rng.uniform(0.1, 0.9),
            stage.horizon + (stage.height - stage.horizon) * 0.2,
            stage.height * 0.03 * stage.zoom,
            0.5,
        )


def _beach(stage: Stage) -> None:
    line = stage.horizon + (stage.height - stage.horizon) * 0.35
    outdoor.sea(stage, stage.horizon, line + 4)
    outdoor.shore(stage, line)


def _harbour(stage: Stage) -> None:
    h, z = stage.horizon, stage.zoom
    outdoor.ridge(
        stage,
        h + 2,
        stage.height * 0.07 * z,
        stage.lit(mix((90, 110, 120), stage.palette.pick("background", 1), 0.3), 0.75),
        waves=3,
    )
    quay = h + (stage.height - h) * 0.42
    outdoor.sea(stage, h, quay)
    for i in range(stage.rng.randint(1, 3)):
        x = stage.width * (0.2 + 0.3 * i + stage.rng.uniform(-0.08, 0.08))
        outdoor.boat(stage, x, h + (quay - h) * stage.rng.uniform(0.35, 0.8), stage.height * 0.04 * z, 0.35)
    side_left = stage.rng.random() < 0.5
    x0, x1 = (0.0, stage.width * 0.34) if side_left else (stage.width * 0.66, stage.width)
    town.building_row(
        stage, quay + 1, depth=0.3, height=stage.height * 0.3 * z, width=stage.width * 0.12 * z, x0=x0, x1=x1
    )
    stone = stage.ground_color(mix(outdoor.STONE, stage.palette.pick("background", 1), 0.2))
    stage.canvas.rect(0, quay, stage.width, quay + 4 * z, stage.lit(darken(stone, 0.3)))
    stage.band(quay + 4 * z, stage.height, stage.lit(stone), stage.lit(stone, 0.2), steps=10)
    for i in range(6):
        x = stage.width * (i + 0.5) / 6
        stage.canvas.rect(x - 3 * z, quay - 5 * z, x + 3 * z, quay + 3 * z, stage.lit((70, 66, 70)))
    if stage.weather in {"rain", "storm"}:
        town.puddles(stage, quay + 10, stage.height)
    if stage.night or stage.weather in {"fog", "storm"}:
        town.lamp_posts(stage, quay + stage.height * 0.05 * z, stage.height * 0.28 * z)
    if stage.setting.has("festival", "lantern", "lanterns", "matsuri"):
        town.lantern_strings(stage, max(stage.height * 0.08, quay - stage.height * 0.36 * z))


def _lighthouse(stage: Stage) -> None:
    h, z = stage.horizon, stage.zoom
    fore = h + (stage.height - h) * 0.55
    outdoor.sea(stage, h, fore)
    # The headland hugs a frame edge: characters stand in the middle thirds and must not hide it.
    right = stage.rng.random() < 0.5
    x0, x1 = (stage.width * 0.66, stage.width * 1.02) if right else (-stage.width * 0.02, stage.width * 0.34)
    top = h - stage.height * 0.06 * z
    peak = outdoor.headland(stage, x0, x1, h + (fore - h) * 0.5, top, mirror=not right)
    tower = min(stage.height * 0.36 * z, (top - stage.height * 0.07) / 1.3)  # the lamp room stays in frame
    if tower > stage.height * 0.05:
        outdoor.lighthouse(stage, peak, top + 4, tower)
    _foreground(stage, fore)


def _foreground(stage: Stage, top: float) -> None:
    ground = stage.ground_color(mix(outdoor.GRASS, stage.palette.pick("secondary", 0), 0.3))
    stage.canvas.polygon(
        [
            (0, top + 8),
            (stage.width * 0.4, top - 4),
            (stage.width, top + 10),
            (stage.width, stage.height),
            (0, stage.height),
        ],
        stage.lit(ground),
    )
    rock = stage.lit(mix(outdoor.STONE, ground, 0.2))
    for _ in range(4):
        x = stage.rng.uniform(0, stage.width)
        y = stage.rng.uniform(top + 20, stage.height)
        stage.canvas.ellipse(x, y, 14 * stage.zoom, 6 * stage.zoom, rock)


def _sky(stage: Stage) -> None:
    z = stage.zoom
    town.building_row(stage, stage.horizon + 1, depth=0.8, height=stage.height * 0.08 * z, width=stage.width * 0.05 * z)
    if stage.setting.has("rooftop", "roof"):
        top = stage.horizon + (stage.height - stage.horizon) * 0.25
        concrete = stage.ground_color((170, 168, 164))
        stage.band(top, stage.height, stage.lit(concrete), stage.lit(concrete, 0.2), steps=8)
        rail = stage.lit((90, 110, 120))
        stage.canvas.rect(0, top - stage.height * 0.1 * z, stage.width, top - stage.height * 0.09 * z, rail)
        x = 0.0
        while x < stage.width:
            stage.canvas.rect(x, top - stage.height * 0.1 * z, x + 2 * z, top, rail)
            x += stage.height * 0.05 * z
    else:
        outdoor.ridge(stage, stage.horizon + 1, stage.height * 0.02, stage.lit((140, 160, 150), 0.8), waves=4)
        stage.band(
            stage.horizon, stage.height, stage.lit((120, 150, 110), 0.5), stage.lit((150, 170, 150), 0.8), steps=6
        )


BACKGROUNDS: dict[str, Callable[[Stage], None]] = {
    "field": _field,
    "forest": _forest,
    "mountain": _mountain,
    "sea": _sea,
    "beach": _beach,
    "harbour": _harbour,
    "lighthouse": _lighthouse,
    "sky": _sky,
    "town": town.town,
    "interior": room,
    "classroom": room,
}
