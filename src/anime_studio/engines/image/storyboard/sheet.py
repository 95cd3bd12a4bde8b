"""Character sheets (no scene: dataset generation): the figure alone on a soft ground of its own colours."""

from __future__ import annotations

import math
import random

from PIL import Image

from anime_studio.engines.image.base import CharacterHint, ImageRequest
from anime_studio.engines.image.storyboard.atmosphere import words
from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.cast import Actor, paint_actor, pose_for
from anime_studio.engines.image.storyboard.colors import RGB, color_from_name, lighten, mix, to_color, with_alpha
from anime_studio.engines.image.storyboard.compose import Panel, stream, supersampling
from anime_studio.engines.image.storyboard.looks import creature_look

# (human height, human head top, creature height, creature feet), fractions of the frame height.
FRAMES: dict[str, tuple[float, float, float, float]] = {
    "full body": (0.78, 0.1, 0.6, 0.86),
    "upper body": (1.6, 0.1, 0.78, 0.95),
    "portrait": (2.9, 0.12, 1.1, 1.12),
}


def sheet_framing(prompt: str) -> str:
    """``portrait`` / ``upper body`` when the prompt asks for it, else ``full body``."""
    tokens = set(words(prompt))
    if tokens & {"portrait", "face", "headshot", "closeup", "close", "bust"}:
        return "portrait"
    if tokens & {"upper", "waist", "half", "medium", "cowboy"}:
        return "upper body"
    return "full body"


def key_colors(hint: CharacterHint) -> list[tuple[str, RGB]]:
    """The character's key colours, parsed, in the user's order."""
    return [(part, to_color(value, part)) for part, value in hint.key_colors.items()]


def render_sheet(request: ImageRequest) -> Panel:
    """A model-sheet panel: the character(s) centred, a soft background from their colours, swatches."""
    w, h, ss = request.width, request.height, supersampling(request.width, request.height)
    cast = request.characters[:4]
    framing = sheet_framing(request.prompt)
    colors = [c for hint in cast for _, c in key_colors(hint)] or [color_from_name(cast[0].name)]
    rng = stream(request.seed, "sheet")
    image = _backdrop((w * ss, h * ss), colors, rng)
    canvas = Canvas(image, ss)
    actors = _place(cast, framing, (w, h), stream(request.seed, "cast"))
    for actor in actors:
        paint_actor(
            canvas, actor, light=-1.0, lighting=lambda c: c, style_text=request.prompt if len(cast) == 1 else ""
        )
    final = canvas.image.reduce(ss) if ss > 1 else canvas.image
    labels = [(a.hint.name, (a.x, min(a.feet + h * 0.015, h * 0.9))) for a in actors]
    resolved = {"framing": framing, "characters_drawn": [a.hint.name for a in actors]}
    return Panel(final, labels, f"character sheet · {framing}", ", ".join(a.hint.name for a in actors), resolved)


def _backdrop(size: tuple[int, int], colors: list[RGB], rng: random.Random) -> Image.Image:
    """A pale vertical gradient of the first two colours with a few soft decorative discs and a floor."""
    top = lighten(colors[0], 0.84)
    bottom = lighten(colors[1 % len(colors)], 0.7)
    column = Image.linear_gradient("L").resize((1, size[1]))
    image = Image.composite(
        Image.new("RGB", (1, size[1]), top), Image.new("RGB", (1, size[1]), bottom), column.point(lambda v: 255 - v)
    )
    image = image.resize(size, Image.Resampling.NEAREST)
    canvas = Canvas(image, 1)
    for i in range(rng.randint(3, 6)):
        r = size[1] * rng.uniform(0.12, 0.32)
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1] * 0.8)
        canvas.ellipse(x, y, r, r, with_alpha(lighten(colors[i % len(colors)], 0.9), 0.5))
    stripe = with_alpha(lighten(colors[-1], 0.92), 0.35)
    step = size[1] * 0.06
    offset = rng.uniform(0, step)
    for k in range(int(size[0] / step) + int(size[1] / step) + 2):
        x = offset + k * step
        canvas.polygon(
            [(x, 0), (x + step * 0.4, 0), (x + step * 0.4 - size[1], size[1]), (x - size[1], size[1])], stripe
        )
    floor = mix(bottom, (60, 50, 70), 0.1)
    canvas.ellipse(size[0] / 2, size[1] * 0.93, size[0] * 0.42, size[1] * 0.05, with_alpha(floor, 0.5))
    return image


def _place(cast: tuple[CharacterHint, ...], framing: str, size: tuple[int, int], rng: random.Random) -> list[Actor]:
    w, h = size
    human_h, head_top, creature_h, creature_feet = FRAMES[framing]
    has_human = any(c.is_human for c in cast)
    actors = []
    for i, hint in enumerate(cast):
        x = w * (0.5 if len(cast) == 1 else 0.2 + 0.6 * i / (len(cast) - 1))
        facing = rng.uniform(-0.35, 0.35)
        pose = pose_for(rng, mood="neutral", facing=facing)
        if hint.is_human:
            scale, feet = human_h * h, (head_top + human_h) * h
        elif has_human and framing == "full body":
            scale, feet = human_h * h * creature_look(hint).size, (head_top + human_h) * h
        else:
            scale, feet = creature_h * h, creature_feet * h
        actors.append(
            Actor(hint, x, feet, scale, pose, lean=math.radians(rng.uniform(-2, 2)) if not hint.is_human else 0.0)
        )
    return actors
