"""A scene panel, back to front: sky, background, weather, characters, camera, grade."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from PIL import Image, ImageFilter

from anime_studio.engines.image.base import ImageRequest, SceneHint
from anime_studio.engines.image.storyboard import atmosphere as atm
from anime_studio.engines.image.storyboard.backgrounds import draw_background
from anime_studio.engines.image.storyboard.canvas import Canvas, Point
from anime_studio.engines.image.storyboard.cast import Actor, layout, paint_actor
from anime_studio.engines.image.storyboard.colors import RGB, mix, scale
from anime_studio.engines.image.storyboard.framing import Framing, make_framing, normalise_angle, normalise_shot
from anime_studio.engines.image.storyboard.post import apply_camera, camera_matrix, grade, project
from anime_studio.engines.image.storyboard.sky import draw_clouds, draw_stars, draw_sun_moon, sky_image, sun_position
from anime_studio.engines.image.storyboard.stage import Setting, Stage, WorldPalette, resolve_setting
from anime_studio.engines.image.storyboard.weather import focus_lines, speed_lines, weather_back, weather_front

MAX_SUPERSAMPLED_PIXELS = 1_000_000


@dataclass(frozen=True)
class Panel:
    """A rendered frame before annotations, where its labels go, and what was resolved from the request."""

    image: Image.Image
    labels: list[tuple[str, Point]]
    heading: str
    caption: str
    resolved: dict[str, Any]


def stream(seed: int, name: str) -> random.Random:
    """An independent random stream per concern, so changing the cast never reshuffles the sky."""
    return random.Random(f"{seed}:{name}")


def supersampling(width: int, height: int) -> int:
    """Draw at 2x and downsample (clean anti-aliased edges) unless the frame is already huge."""
    return 2 if width * height <= MAX_SUPERSAMPLED_PIXELS else 1


def render_scene(request: ImageRequest, scene: SceneHint) -> Panel:
    """Render a storyboard panel of ``scene`` at the request's size."""
    w, h, seed = request.width, request.height, request.seed
    text = request.prompt
    time = atm.normalise_time(scene.time_of_day or _mentioned(text, atm.normalise_time))
    weather = atm.normalise_weather(scene.weather or _mentioned(text, atm.normalise_weather))
    mood = atm.normalise_mood(scene.mood or text)
    setting = resolve_setting(scene.location, text)
    shot, angle = normalise_shot(scene.shot_type), normalise_angle(scene.camera_angle)
    framing = make_framing(shot, angle, sky_heavy=setting.kind == "sky", rng=stream(seed, "camera"))
    palette = WorldPalette.from_hint(scene.palette)
    sky = atm.make_sky(time, weather, palette.pick("background", 0) if palette.given else None)
    ss = supersampling(w, h)
    horizon = framing.horizon * h
    sun = sun_position(sky, w, horizon, time)
    canvas = _background(request, framing, setting, palette, sky, time, weather, sun, ss)
    wind = 1.0 if weather == "wind" else 0.4 if weather == "storm" else 0.0
    actors = layout(request.characters, framing, (w, h), stream(seed, "cast"), mood=mood, wind=wind)
    light = -1.0 if sun[0] < w / 2 else 1.0
    _foreground(canvas, actors, framing, setting, sky, weather, stream(seed, "weather"), light, text)
    image = canvas.image.reduce(ss) if ss > 1 else canvas.image
    matrix = camera_matrix((w, h), framing.tilt, framing.keystone)
    if matrix is not None:
        image = apply_camera(image, matrix)
    image = grade(image, atm.MOODS[mood], extra_vignette=framing.vignette + (0.1 if time == "night" else 0.0))
    labels = [(a.hint.name, project(matrix, (a.x, a.feet + h * 0.012))) for a in actors if a.labelled and a.hint.name]
    heading = shot.replace("_", " ") + ("" if angle == "eye_level" else " · " + angle.replace("_", " "))
    resolved = {
        "shot_type": shot,
        "camera_angle": angle,
        "time_of_day": time,
        "weather": weather,
        "mood": mood,
        "location_kind": setting.kind,
        "characters_drawn": [a.hint.name for a in actors if a.hint.name],
    }
    return Panel(image, labels, heading, scene.caption, resolved)


def _mentioned(text: str, normalise: Any) -> str:
    """The prompt's word for a time or weather if it names one (normalisers return a default otherwise)."""
    for word in atm.words(text):
        value = normalise(word)
        if value != normalise(""):
            return word
    return ""


def _background(
    request: ImageRequest,
    framing: Framing,
    setting: Setting,
    palette: WorldPalette,
    sky: atm.Sky,
    time: str,
    weather: str,
    sun: Point,
    ss: int,
) -> Canvas:
    """Sky and background, drawn smaller and blurred when the shot has a shallow depth of field."""
    w, h = request.width, request.height
    bg_scale: float = ss if framing.blur == 0 else max(0.2, 1 - 0.8 * framing.blur)
    size = (max(8, round(w * bg_scale)), max(8, round(h * bg_scale)))
    horizon = framing.horizon * h
    image = sky_image(sky, size, horizon * size[1] / h, (sun[0] * size[0] / w, sun[1] * size[1] / h))
    canvas = Canvas(image, size[0] / w)
    stage_sky = sky if setting.outdoor else _indoor_light(sky)
    stage = Stage(
        canvas, horizon, framing.zoom, stream(request.seed, "background"), palette, stage_sky, time, weather, setting
    )
    if setting.outdoor and horizon > 0:
        sky_rng = stream(request.seed, "sky")
        draw_stars(canvas, sky, horizon, sky_rng)
        draw_sun_moon(canvas, sky, sun, min(framing.zoom, 1.6))
        draw_clouds(canvas, sky, horizon, min(framing.zoom, 1.8), sky_rng)
    draw_background(stage, sun[0])
    if framing.blur > 0:
        blurred = canvas.image.filter(ImageFilter.GaussianBlur(radius=0.6 + framing.blur * 1.4))
        full = blurred.resize((w * ss, h * ss), Image.Resampling.BILINEAR)
        canvas = Canvas(full, ss)
    return canvas


def _indoor_light(sky: atm.Sky) -> atm.Sky:
    """Rooms are lamp-lit: keep most of the daylight colour but never the darkness of night."""
    warm = (1.0, 0.9, 0.78)
    ambient = (
        max(sky.ambient[0], warm[0] * 0.85),
        max(sky.ambient[1], warm[1] * 0.85),
        max(sky.ambient[2], warm[2] * 0.85),
    )
    return replace(sky, ambient=ambient, haze=mix(sky.haze, (235, 225, 210), 0.6))


def _foreground(
    canvas: Canvas,
    actors: list[Actor],
    framing: Framing,
    setting: Setting,
    sky: atm.Sky,
    weather: str,
    rng: random.Random,
    light: float,
    style_text: str,
) -> None:
    """Weather behind, characters (far to near, over-the-shoulder last), weather in front, action lines."""
    outdoor_weather = weather if setting.outdoor else "clear"
    weather_back(canvas, outdoor_weather, framing.horizon * canvas.height, sky.haze, rng)
    if framing.speed_lines:
        direction = 1.0 if not actors or actors[0].x <= canvas.width / 2 else -1.0
        speed_lines(canvas, rng, direction, sky.horizon)
    ambient = sky.ambient if setting.outdoor else _indoor_light(sky).ambient

    def lighting(color: RGB) -> RGB:
        # Characters keep most of their own colour at night: readability beats realism in a storyboard.
        return mix(color, scale(color, ambient), 0.45)

    ordered = sorted(actors, key=lambda a: (a.back_view, a.feet))
    # The prompt can only say whose hair is a "bob" when one human is in the shot.
    humans = sum(1 for a in actors if a.human and a.hint.name)
    for actor in ordered:
        paint_actor(canvas, actor, light=light, lighting=lighting, style_text=style_text if humans == 1 else "")
    weather_front(canvas, outdoor_weather, sky.haze, rng)
    if framing.speed_lines and actors:
        focus_lines(canvas, rng, (actors[0].x, actors[0].feet - actors[0].scale * 0.6))
