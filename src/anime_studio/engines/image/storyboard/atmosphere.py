"""Time of day, weather and mood: the words a scene uses, normalised, and the light they imply."""

from __future__ import annotations

import re
from dataclasses import dataclass

from anime_studio.engines.image.storyboard.colors import RGB, mix

TIMES = ("dawn", "morning", "midday", "afternoon", "sunset", "evening", "night")
WEATHERS = ("clear", "cloudy", "rain", "storm", "snow", "fog", "wind")

_TIME_WORDS: dict[str, str] = {
    "dawn": "dawn", "sunrise": "dawn", "daybreak": "dawn",
    "morning": "morning",
    "midday": "midday", "noon": "midday", "day": "midday", "daytime": "midday", "daylight": "midday",
    "afternoon": "afternoon",
    "sunset": "sunset", "dusk": "sunset", "golden": "sunset",
    "evening": "evening", "twilight": "evening",
    "night": "night", "midnight": "night", "nighttime": "night",
}  # fmt: skip

_WEATHER_WORDS: dict[str, str] = {
    "clear": "clear", "sunny": "clear", "fair": "clear",
    "cloudy": "cloudy", "overcast": "cloudy", "clouds": "cloudy", "grey": "cloudy", "gray": "cloudy",
    "rain": "rain", "rainy": "rain", "raining": "rain", "drizzle": "rain", "showers": "rain", "wet": "rain",
    "storm": "storm", "stormy": "storm", "thunder": "storm", "thunderstorm": "storm", "lightning": "storm",
    "snow": "snow", "snowy": "snow", "snowing": "snow", "blizzard": "snow", "snowfall": "snow",
    "fog": "fog", "foggy": "fog", "mist": "fog", "misty": "fog", "haze": "fog", "hazy": "fog",
    "wind": "wind", "windy": "wind", "breeze": "wind", "breezy": "wind", "gale": "wind", "gusty": "wind",
}  # fmt: skip


def words(text: str) -> list[str]:
    """Lower-case word tokens ("raincoat" stays one word, so it never means rain)."""
    return re.findall(r"[a-z]+", text.lower())


def normalise_time(text: str) -> str:
    """One of ``TIMES``; an unknown or empty time is an afternoon."""
    return _first_match(text, _TIME_WORDS) or "afternoon"


def normalise_weather(text: str) -> str:
    """One of ``WEATHERS``; unknown or empty weather is clear."""
    return _first_match(text, _WEATHER_WORDS) or "clear"


def _first_match(text: str, table: dict[str, str]) -> str | None:
    for word in words(text):
        if word in table:
            return table[word]
    return None


@dataclass(frozen=True)
class Daylight:
    """Sky and light of one time of day."""

    sky_top: RGB
    sky_horizon: RGB
    ambient: tuple[float, float, float]
    sun: RGB | None
    sun_height: float
    """0 = on the horizon, 1 = top of the sky."""
    moon: bool
    stars: float
    """Star density 0..1."""
    windows_lit: float
    """Share of windows with a light on."""


DAYLIGHT: dict[str, Daylight] = {
    "dawn": Daylight((96, 104, 168), (246, 178, 150), (0.92, 0.84, 0.86), (255, 196, 150), 0.08, False, 0.15, 0.3),
    "morning": Daylight((120, 176, 232), (226, 236, 236), (1.0, 0.98, 0.94), (255, 246, 214), 0.45, False, 0, 0.05),
    "midday": Daylight((74, 146, 226), (196, 226, 246), (1.0, 1.0, 1.0), (255, 252, 236), 0.85, False, 0, 0.0),
    "afternoon": Daylight((92, 156, 222), (238, 228, 204), (1.0, 0.96, 0.9), (255, 236, 196), 0.5, False, 0, 0.05),
    "sunset": Daylight((70, 62, 130), (252, 150, 84), (1.0, 0.8, 0.7), (255, 170, 90), 0.06, False, 0.05, 0.55),
    "evening": Daylight((28, 34, 84), (150, 96, 128), (0.62, 0.6, 0.8), None, 0.0, True, 0.5, 0.8),
    "night": Daylight((10, 16, 42), (36, 52, 96), (0.42, 0.48, 0.72), None, 0.0, True, 1.0, 0.9),
}


@dataclass(frozen=True)
class Sky:
    """The sky and light after weather is applied."""

    top: RGB
    horizon: RGB
    ambient: tuple[float, float, float]
    haze: RGB
    """Colour distant things fade into (aerial perspective)."""
    sun: RGB | None
    sun_height: float
    moon: bool
    stars: float
    windows_lit: float
    clouds: int
    cloud_darkness: float


def make_sky(time: str, weather: str, palette_background: RGB | None) -> Sky:
    """Daylight of ``time`` tinted by the world's background colour and dimmed by ``weather``."""
    day = DAYLIGHT[time]
    top, horizon = day.sky_top, day.sky_horizon
    if palette_background is not None:
        # The world's palette colours the sky without overriding the time of day.
        top = mix(top, palette_background, 0.22)
        horizon = mix(horizon, palette_background, 0.12)
    grey = {"cloudy": 0.45, "rain": 0.6, "storm": 0.78, "snow": 0.45, "fog": 0.65}.get(weather, 0.0)
    overcast = mix((150, 156, 166), (52, 56, 70), 0.6 if weather == "storm" else 0.0)
    if weather == "fog":
        overcast = (196, 200, 206)
    if weather == "snow":
        overcast = (204, 210, 222)
    lum = sum(day.ambient) / 3
    overcast = (round(overcast[0] * lum), round(overcast[1] * lum), round(overcast[2] * lum))
    top, horizon = mix(top, overcast, grey), mix(horizon, overcast, grey * 0.85)
    dim = {"cloudy": 0.9, "rain": 0.78, "storm": 0.62, "snow": 0.95, "fog": 0.92}.get(weather, 1.0)
    ambient = (day.ambient[0] * dim, day.ambient[1] * dim, day.ambient[2] * dim)
    clouds = {"clear": 3, "wind": 5, "cloudy": 9, "snow": 7, "fog": 0, "rain": 10, "storm": 12}[weather]
    hidden = weather in {"rain", "storm", "fog", "snow"}
    return Sky(
        top=top,
        horizon=horizon,
        ambient=ambient,
        haze=mix(horizon, (200, 205, 215), 0.5 if weather == "fog" else 0.15),
        sun=None if hidden else day.sun,
        sun_height=day.sun_height,
        moon=day.moon and not hidden,
        stars=0.0 if weather != "clear" and weather != "wind" else day.stars,
        windows_lit=day.windows_lit if not hidden else max(day.windows_lit, 0.4),
        clouds=clouds,
        cloud_darkness=grey,
    )


@dataclass(frozen=True)
class MoodGrade:
    """A colour grade: saturation and contrast multipliers, a brightness shift, a tint blended in."""

    saturation: float = 1.0
    contrast: float = 1.0
    brightness: float = 0.0
    tint: RGB = (128, 128, 128)
    tint_strength: float = 0.0
    vignette: float = 0.12
    blush: bool = False


MOODS: dict[str, MoodGrade] = {
    "neutral": MoodGrade(),
    "tense": MoodGrade(0.8, 1.2, -0.04, (60, 110, 100), 0.1, 0.32),
    "peaceful": MoodGrade(0.95, 0.9, 0.03, (255, 226, 180), 0.08, 0.08),
    "melancholy": MoodGrade(0.62, 0.92, -0.03, (90, 120, 170), 0.14, 0.22),
    "romantic": MoodGrade(1.05, 0.92, 0.04, (255, 160, 180), 0.12, 0.16, blush=True),
    "action": MoodGrade(1.25, 1.22, 0.0, (255, 120, 60), 0.05, 0.24),
    "comedic": MoodGrade(1.22, 1.04, 0.05, (255, 236, 140), 0.06, 0.04, blush=True),
    "mysterious": MoodGrade(0.8, 1.08, -0.06, (110, 80, 170), 0.14, 0.3),
    "joyful": MoodGrade(1.18, 1.04, 0.05, (255, 220, 150), 0.07, 0.06),
    "ominous": MoodGrade(0.55, 1.25, -0.09, (120, 30, 40), 0.12, 0.4),
    "dreamy": MoodGrade(0.9, 0.82, 0.06, (220, 190, 255), 0.14, 0.14),
    "hopeful": MoodGrade(1.08, 1.0, 0.04, (255, 214, 150), 0.08, 0.08),
}

_MOOD_WORDS: dict[str, str] = {
    "tense": "tense", "suspense": "tense", "suspenseful": "tense", "anxious": "tense", "nervous": "tense",
    "peaceful": "peaceful", "calm": "peaceful", "serene": "peaceful", "quiet": "peaceful", "gentle": "peaceful",
    "cozy": "peaceful", "relaxed": "peaceful", "warm": "peaceful",
    "melancholy": "melancholy", "melancholic": "melancholy", "sad": "melancholy", "somber": "melancholy",
    "sombre": "melancholy", "lonely": "melancholy", "bittersweet": "melancholy", "wistful": "melancholy",
    "romantic": "romantic", "tender": "romantic", "love": "romantic", "intimate": "romantic",
    "action": "action", "exciting": "action", "intense": "action", "epic": "action", "dynamic": "action",
    "heroic": "action", "urgent": "action",
    "comedic": "comedic", "funny": "comedic", "comic": "comedic", "playful": "comedic", "lighthearted": "comedic",
    "silly": "comedic", "humorous": "comedic",
    "mysterious": "mysterious", "mystery": "mysterious", "eerie": "mysterious", "uncanny": "mysterious",
    "magical": "mysterious",
    "joyful": "joyful", "happy": "joyful", "cheerful": "joyful", "festive": "joyful", "bright": "joyful",
    "ominous": "ominous", "dark": "ominous", "scary": "ominous", "horror": "ominous", "dread": "ominous",
    "menacing": "ominous", "grim": "ominous",
    "dreamy": "dreamy", "nostalgic": "dreamy", "whimsical": "dreamy", "wonder": "dreamy",
    "hopeful": "hopeful", "triumphant": "hopeful", "uplifting": "hopeful",
}  # fmt: skip


def normalise_mood(text: str) -> str:
    """One of ``MOODS``; unknown or empty mood is neutral."""
    return _first_match(text, _MOOD_WORDS) or "neutral"
