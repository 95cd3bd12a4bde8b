"""Character-sheet backdrops: pale grounds of the character's own colours, in a few seeded patterns."""

from __future__ import annotations

import math
import random

from PIL import Image

from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.colors import RGB, lighten, mix, with_alpha


def backdrop(size: tuple[int, int], colors: list[RGB], pattern: str, rng: random.Random) -> Image.Image:
    """A pale vertical gradient of the first two colours, a pattern over it, and a floor shadow."""
    top = lighten(colors[rng.randrange(len(colors))], 0.84)
    bottom = lighten(colors[rng.randrange(len(colors))], 0.7)
    if rng.random() < 0.5:
        top, bottom = bottom, top
    column = Image.linear_gradient("L").resize((1, size[1]))
    image = Image.composite(
        Image.new("RGB", (1, size[1]), top), Image.new("RGB", (1, size[1]), bottom), column.point(lambda v: 255 - v)
    )
    image = image.resize(size, Image.Resampling.NEAREST)
    canvas = Canvas(image, 1)
    tint = with_alpha(lighten(colors[-1], 0.9), 0.45)
    {"discs": _discs, "stripes": _stripes, "rays": _rays, "dots": _dots, "plain": _plain}[pattern](
        canvas, size, colors, tint, rng
    )
    floor = mix(bottom, (60, 50, 70), 0.1)
    canvas.ellipse(size[0] / 2, size[1] * 0.93, size[0] * 0.42, size[1] * 0.05, with_alpha(floor, 0.5))
    return image


Tint = tuple[int, int, int, int]


def _discs(canvas: Canvas, size: tuple[int, int], colors: list[RGB], tint: Tint, rng: random.Random) -> None:
    for i in range(rng.randint(3, 6)):
        r = size[1] * rng.uniform(0.12, 0.32)
        x, y = rng.uniform(0, size[0]), rng.uniform(0, size[1] * 0.8)
        canvas.ellipse(x, y, r, r, with_alpha(lighten(colors[i % len(colors)], 0.9), 0.5))


def _stripes(canvas: Canvas, size: tuple[int, int], colors: list[RGB], tint: Tint, rng: random.Random) -> None:
    step = size[1] * rng.uniform(0.05, 0.12)
    offset = rng.uniform(0, step)
    slope = size[1] * rng.choice((-1, 1))
    for k in range(-int(size[1] / step) - 2, int(size[0] / step) + int(size[1] / step) + 2):
        x = offset + k * step
        canvas.polygon([(x, 0), (x + step * 0.4, 0), (x + step * 0.4 - slope, size[1]), (x - slope, size[1])], tint)


def _rays(canvas: Canvas, size: tuple[int, int], colors: list[RGB], tint: Tint, rng: random.Random) -> None:
    cx, cy = size[0] * rng.uniform(0.2, 0.8), size[1] * rng.uniform(0.1, 0.5)
    reach = size[0] + size[1]
    count = rng.randint(8, 14)
    for k in range(count):
        a0 = math.tau * k / count
        a1 = a0 + math.tau / count / 2
        canvas.polygon(
            [(cx, cy), (cx + reach * math.cos(a0), cy + reach * math.sin(a0)),
             (cx + reach * math.cos(a1), cy + reach * math.sin(a1))],
            tint,
        )  # fmt: skip


def _dots(canvas: Canvas, size: tuple[int, int], colors: list[RGB], tint: Tint, rng: random.Random) -> None:
    step = size[1] * rng.uniform(0.07, 0.12)
    r = step * rng.uniform(0.15, 0.3)
    for row in range(int(size[1] / step) + 1):
        for col in range(int(size[0] / step) + 2):
            x = col * step + (step / 2 if row % 2 else 0)
            canvas.ellipse(x, row * step + step / 2, r, r, tint)


def _plain(canvas: Canvas, size: tuple[int, int], colors: list[RGB], tint: Tint, rng: random.Random) -> None:
    band = size[1] * rng.uniform(0.55, 0.75)
    canvas.polygon([(0, band), (size[0], band), (size[0], size[1]), (0, size[1])], tint)
