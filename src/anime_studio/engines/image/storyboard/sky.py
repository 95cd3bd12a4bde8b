"""The sky: gradient with sun or moon glow, stars and flat cel-shaded clouds."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image

from anime_studio.engines.image.storyboard.atmosphere import Sky
from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.colors import RGB, darken, lighten, mix, scale, with_alpha


def sun_position(sky: Sky, width: float, horizon: float, time: str) -> tuple[float, float]:
    """Where the sun (or moon) sits: east in the morning, west in the evening, above the horizon line."""
    x = {"dawn": 0.22, "morning": 0.2, "midday": 0.62, "afternoon": 0.78, "sunset": 0.72}.get(time, 0.76) * width
    height = sky.sun_height if sky.sun is not None else 0.55
    y = horizon - max(0.06, height) * max(horizon, 1.0) * 0.92
    return x, y


def sky_image(sky: Sky, size: tuple[int, int], horizon: float, sun: tuple[float, float] | None) -> Image.Image:
    """The smooth sky (gradient + glow) for an image of ``size`` pixels with the horizon at ``horizon`` px.

    Computed at a quarter of the size with numpy and scaled up: the field is smooth, so nothing is lost.
    """
    w, h = max(2, size[0] // 4), max(2, size[1] // 4)
    fy = size[1] / h
    ys = (np.arange(h, dtype=np.float32) + 0.5) * fy
    t = np.clip(ys / max(horizon, 1.0), 0.0, 1.0) ** 1.35
    top, bottom = np.array(sky.top, np.float32), np.array(sky.horizon, np.float32)
    column = top[None, :] * (1 - t[:, None]) + bottom[None, :] * t[:, None]
    field = np.repeat(column[:, None, :], w, axis=1)
    if sun is not None:
        glow_color = np.array(sky.sun if sky.sun is not None else (200, 210, 255), np.float32)
        xs = (np.arange(w, dtype=np.float32) + 0.5) * size[0] / w
        d = np.hypot(xs[None, :] - sun[0], ys[:, None] - sun[1]) / (0.55 * size[1])
        strength = 0.55 if sky.sun is not None else 0.22
        a = (np.clip(1 - d, 0, 1) ** 2.2 * strength)[:, :, None]
        field = field * (1 - a) + glow_color[None, None, :] * a
    small = Image.fromarray(np.clip(field + 0.5, 0, 255).astype(np.uint8), "RGB")
    return small.resize(size, Image.Resampling.BILINEAR)


def draw_sun_moon(canvas: Canvas, sky: Sky, at: tuple[float, float], zoom: float) -> None:
    """A flat sun disc, or a moon with a soft halo and two darker maria."""
    r = canvas.height * 0.045 * zoom
    x, y = at
    if sky.sun is not None:
        canvas.ellipse(x, y, r * 1.35, r * 1.35, with_alpha(lighten(sky.sun, 0.3), 0.35))
        canvas.ellipse(x, y, r, r, lighten(sky.sun, 0.55))
    elif sky.moon:
        canvas.ellipse(x, y, r * 1.6, r * 1.6, (220, 230, 255, 40))
        canvas.ellipse(x, y, r * 0.85, r * 0.85, (244, 240, 222))
        canvas.ellipse(x - r * 0.25, y - r * 0.1, r * 0.22, r * 0.18, (222, 218, 200))
        canvas.ellipse(x + r * 0.2, y + r * 0.3, r * 0.15, r * 0.13, (226, 220, 204))


def draw_stars(canvas: Canvas, sky: Sky, horizon: float, rng: random.Random) -> None:
    """Scattered stars above the horizon, denser and brighter at the top of the sky."""
    count = int(170 * sky.stars * canvas.width / 1024)
    for _ in range(count):
        x = rng.uniform(0, canvas.width)
        y = rng.uniform(0, max(0.0, horizon * 0.85)) * rng.uniform(0.3, 1.0)
        r = rng.choice((0.6, 0.8, 1.0, 1.5)) * canvas.height / 576
        alpha = rng.uniform(0.35, 0.95) * (1 - y / max(horizon, 1.0)) ** 0.5
        canvas.ellipse(x, y, r, r, (255, 250, 230, round(255 * alpha)))


def draw_clouds(canvas: Canvas, sky: Sky, horizon: float, zoom: float, rng: random.Random) -> None:
    """Flat anime clouds: puffs on a flat base, a lit top and a darker underside."""
    if horizon <= 0 or sky.clouds == 0:
        return
    lit = mix(lighten(sky.horizon, 0.55), sky.top, 0.1)
    lit = mix(lit, (112, 116, 128), sky.cloud_darkness * 0.8)
    # Clouds take the scene light too: silver by day, slate at night.
    lit = scale(lit, (min(1.0, sky.ambient[0] * 1.25), min(1.0, sky.ambient[1] * 1.25), min(1.0, sky.ambient[2] * 1.2)))
    under = mix(darken(lit, 0.18), sky.top, 0.3)
    for i in range(sky.clouds):
        size = canvas.height * rng.uniform(0.035, 0.07) * zoom * (1.5 if sky.cloud_darkness > 0.5 else 1.0)
        x = rng.uniform(-0.1, 1.1) * canvas.width
        y = horizon * rng.uniform(0.12, 0.85) if i % 3 else horizon * rng.uniform(0.55, 0.9)
        _cloud(canvas, x, y, size, lit, under, rng)


def _cloud(canvas: Canvas, x: float, y: float, size: float, lit: RGB, under: RGB, rng: random.Random) -> None:
    puffs = rng.randint(3, 6)
    width = size * puffs * 0.9
    circles = []
    for i in range(puffs):
        t = (i + 0.5) / puffs
        cx = x - width / 2 + t * width
        r = size * (0.7 + 0.6 * math.sin(math.pi * t)) * rng.uniform(0.85, 1.15)
        circles.append((cx, y - r * 0.35, r))
    for cx, cy, r in circles:
        canvas.ellipse(cx, cy + size * 0.18, r, r, under)
    canvas.rect(x - width / 2, y - size * 0.1, x + width / 2, y + size * 0.55, under)
    for cx, cy, r in circles:
        canvas.ellipse(cx - r * 0.08, cy, r * 0.9, r * 0.9, lit)
