"""Weather overlays (rain streaks, snow, fog veils, lightning, wind-blown leaves) and action speed lines.

Each effect has a back layer (drawn between background and figures: distant, fainter) and a front
layer (over the figures: nearer, bolder), which is what gives falling rain or snow its depth.
"""

from __future__ import annotations

import math
import random

from anime_studio.engines.image.storyboard.canvas import Canvas, Point
from anime_studio.engines.image.storyboard.colors import RGB, lighten, mix, with_alpha


def weather_back(canvas: Canvas, weather: str, horizon: float, haze: RGB, rng: random.Random) -> None:
    """Distant weather, behind the characters."""
    if weather in {"rain", "storm"}:
        _rain(canvas, rng, count=260 if weather == "rain" else 420, alpha=0.22, length=0.035, width=0.8)
        if weather == "storm":
            _lightning(canvas, rng, horizon)
    elif weather == "snow":
        _snow(canvas, rng, count=220, radius=(0.6, 1.6), alpha=0.75)
    elif weather == "fog":
        _fog_bands(canvas, horizon, haze)
    elif weather == "wind":
        _gusts(canvas, rng, 0.2)


def weather_front(canvas: Canvas, weather: str, haze: RGB, rng: random.Random) -> None:
    """Near weather, over the characters."""
    if weather in {"rain", "storm"}:
        _rain(canvas, rng, count=90 if weather == "rain" else 150, alpha=0.38, length=0.08, width=1.3)
    elif weather == "snow":
        _snow(canvas, rng, count=70, radius=(1.6, 3.4), alpha=0.9)
    elif weather == "fog":
        canvas.rect(0, 0, canvas.width, canvas.height, with_alpha(haze, 0.16))
        for i in range(6):
            y = canvas.height * (0.7 + 0.05 * i)
            canvas.rect(0, y, canvas.width, canvas.height, with_alpha(lighten(haze, 0.2), 0.05))
    elif weather == "wind":
        _leaves(canvas, rng)
        _gusts(canvas, rng, 0.35)


def _rain(canvas: Canvas, rng: random.Random, *, count: int, alpha: float, length: float, width: float) -> None:
    scale = canvas.width / 1024
    slant = 0.22  # rain falls at a slight angle, as wind-driven rain does in anime
    for _ in range(int(count * scale)):
        x, y = rng.uniform(-40, canvas.width), rng.uniform(-20, canvas.height)
        n = canvas.height * length * rng.uniform(0.6, 1.3)
        a = alpha * rng.uniform(0.6, 1.0)
        canvas.line([(x, y), (x + n * slant, y + n)], (214, 226, 244, round(255 * a)), width * rng.uniform(0.8, 1.2))


def _snow(canvas: Canvas, rng: random.Random, *, count: int, radius: tuple[float, float], alpha: float) -> None:
    scale = canvas.height / 576
    for _ in range(int(count * canvas.width / 1024)):
        x, y = rng.uniform(0, canvas.width), rng.uniform(0, canvas.height)
        r = rng.uniform(*radius) * scale
        canvas.ellipse(x, y, r, r, (250, 252, 255, round(255 * alpha * rng.uniform(0.6, 1.0))))


def _fog_bands(canvas: Canvas, horizon: float, haze: RGB) -> None:
    fog = lighten(haze, 0.15)
    for i in range(10):
        reach = canvas.height * (0.05 + 0.06 * i)
        canvas.rect(0, horizon - reach, canvas.width, horizon + reach * 0.8, with_alpha(fog, 0.07))


def _lightning(canvas: Canvas, rng: random.Random, horizon: float) -> None:
    x = canvas.width * rng.uniform(0.15, 0.85)
    points: list[Point] = [(x, 0.0)]
    y = 0.0
    bottom = max(canvas.height * 0.3, horizon)
    while y < bottom:
        y += canvas.height * rng.uniform(0.04, 0.08)
        x += canvas.height * rng.uniform(-0.05, 0.05)
        points.append((x, min(y, bottom)))
    canvas.rect(0, 0, canvas.width, canvas.height, (230, 236, 255, 18))
    canvas.line(points, (200, 214, 255, 70), 7)
    canvas.line(points, (250, 252, 255, 240), 2)


def _gusts(canvas: Canvas, rng: random.Random, alpha: float) -> None:
    for _ in range(int(7 * canvas.width / 1024)):
        x, y = rng.uniform(-100, canvas.width), rng.uniform(0, canvas.height * 0.9)
        n = canvas.width * rng.uniform(0.12, 0.25)
        points = [
            (x + n * t, y + math.sin(t * math.pi * 1.5) * canvas.height * 0.015) for t in (i / 12 for i in range(13))
        ]
        canvas.line(points, (255, 255, 255, round(255 * alpha)), 1.2)


def _leaves(canvas: Canvas, rng: random.Random) -> None:
    colors: tuple[RGB, ...] = ((226, 146, 62), (246, 190, 200), (150, 186, 90))
    for _ in range(int(26 * canvas.width / 1024)):
        x, y = rng.uniform(0, canvas.width), rng.uniform(0, canvas.height)
        r = canvas.height * rng.uniform(0.006, 0.012)
        a = rng.uniform(0, math.pi)
        dx, dy = math.cos(a) * r, math.sin(a) * r
        canvas.polygon(
            [(x - dx, y - dy), (x - dy * 0.4, y + dx * 0.4), (x + dx, y + dy), (x + dy * 0.4, y - dx * 0.4)],
            rng.choice(colors),
        )


def speed_lines(canvas: Canvas, rng: random.Random, direction: float, tint: RGB) -> None:
    """Parallel motion streaks behind an action figure, moving the way it runs (``direction`` ±1)."""
    angle = -0.18 * direction
    color = mix(tint, (255, 255, 255), 0.7)
    for _ in range(int(46 * canvas.width / 1024)):
        y = rng.uniform(0, canvas.height)
        x = rng.uniform(-0.2, 1.0) * canvas.width
        n = canvas.width * rng.uniform(0.1, 0.35)
        canvas.line([(x, y), (x + n, y + n * angle)], with_alpha(color, rng.uniform(0.25, 0.55)), rng.uniform(1.0, 3.2))


def focus_lines(canvas: Canvas, rng: random.Random, centre: Point) -> None:
    """Manga focus lines: thin wedges from the frame edge pointing at ``centre``."""
    cx, cy = centre
    reach = math.hypot(canvas.width, canvas.height)
    for _ in range(64):
        a = rng.uniform(0, math.tau)
        inner = reach * rng.uniform(0.36, 0.5)
        spread = rng.uniform(0.004, 0.012)
        p0 = (cx + math.cos(a) * inner, cy + math.sin(a) * inner)
        p1 = (cx + math.cos(a - spread) * reach, cy + math.sin(a - spread) * reach)
        p2 = (cx + math.cos(a + spread) * reach, cy + math.sin(a + spread) * reach)
        canvas.polygon([p0, p1, p2], (255, 255, 255, 120))
