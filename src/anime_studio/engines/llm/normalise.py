"""Repair a model's scene breakdown into valid ``ScenePlan``s: aliases, unknown values, limits."""

from __future__ import annotations

import re
from typing import Any

from anime_studio.engines.llm.base import ScenePlan, ShotPlan, ShotType, StoryContext
from anime_studio.engines.llm.prompting import CAMERA_ANGLES, SHOT_TYPES
from anime_studio.engines.remote.parsing import as_float, clamp
from anime_studio.engines.video.presets import MOTION_PRESETS

MIN_SHOT_SECONDS, MAX_SHOT_SECONDS, DEFAULT_SHOT_SECONDS = 1.0, 12.0, 3.0
MAX_SHOTS_PER_SCENE = 12

_SHOT_ALIASES = {
    "establishing shot": "establishing",
    "extreme wide": "establishing",
    "long": "wide",
    "long shot": "wide",
    "full": "wide",
    "full shot": "wide",
    "mid": "medium",
    "medium shot": "medium",
    "two shot": "medium",
    "closeup": "close-up",
    "close up": "close-up",
    "close": "close-up",
    "extreme close-up": "extreme_close-up",
    "extreme close up": "extreme_close-up",
    "extreme closeup": "extreme_close-up",
    "ecu": "extreme_close-up",
    "action shot": "action",
    "fight": "action",
}


def scenes_from(data: Any, context: StoryContext, *, max_scenes: int) -> list[ScenePlan]:
    """Normalise ``{"scenes": [...]}`` or a bare list into at most ``max_scenes`` valid scenes."""
    raw = data.get("scenes", data.get("scene_breakdown")) if isinstance(data, dict) else data
    if not isinstance(raw, list):
        raise ValueError("the breakdown holds no list of scenes")
    cast = _cast_index(context)
    scenes = [_scene(item, index, cast) for index, item in enumerate(raw) if isinstance(item, dict)]
    return scenes[:max_scenes]


def _cast_index(context: StoryContext) -> dict[str, str]:
    """Slug, name and first name of every character (lower-cased) → slug."""
    index: dict[str, str] = {}
    for character in context.characters:
        for key in (character.slug, character.name, character.name.split(" ")[0] if character.name else ""):
            if key:
                index.setdefault(key.strip().lower(), character.slug)
    return index


def _scene(item: dict[str, Any], index: int, cast: dict[str, str]) -> ScenePlan:
    shots_raw = item.get("shots", item.get("suggested_shots", []))
    shots = [_shot(shot, cast) for shot in shots_raw if isinstance(shot, dict)] if isinstance(shots_raw, list) else []
    return ScenePlan(
        title=_text(item.get("title"), 120) or f"Scene {index + 1}",
        description=_text(item.get("description"), 2000),
        location=_text(item.get("location"), 200),
        time_of_day=_text(item.get("time_of_day"), 32).lower(),
        weather=_text(item.get("weather"), 80),
        mood=_text(item.get("mood"), 60).lower(),
        shots=shots[:MAX_SHOTS_PER_SCENE],
    )


def _shot(item: dict[str, Any], cast: dict[str, str]) -> ShotPlan:
    shot_type = shot_type_of(item.get("shot_type", item.get("type")))
    description = _text(item.get("description"), 1000)
    speaker = _speaker(item.get("dialogue_character", item.get("speaker")), cast)
    line = _text(item.get("dialogue_text", item.get("dialogue")), 1000) if speaker else ""
    duration = as_float(item.get("duration", item.get("duration_seconds")), DEFAULT_SHOT_SECONDS)
    return ShotPlan(
        shot_type=shot_type,
        camera_angle=_angle(item.get("camera_angle")),
        description=description,
        motion_prompt=_text(item.get("motion_prompt"), 500) or description or MOTION_PRESETS[shot_type][0],
        duration=clamp(duration if duration > 0 else DEFAULT_SHOT_SECONDS, MIN_SHOT_SECONDS, MAX_SHOT_SECONDS),
        characters=_characters(item.get("characters"), cast, speaker),
        dialogue_character=speaker if line else None,
        dialogue_text=line,
    )


def shot_type_of(value: Any) -> ShotType:
    """One of the six presets; anything unknown becomes ``medium``."""
    word = re.sub(r"[\s_]+", " ", str(value or "")).strip().lower()
    for candidate in (word, word.replace(" ", "_"), word.replace(" ", "-")):
        if candidate in SHOT_TYPES:
            return candidate  # type: ignore[return-value]
    alias = _SHOT_ALIASES.get(word) or _SHOT_ALIASES.get(word.replace("-", " "))
    return alias or "medium"  # type: ignore[return-value]


def _angle(value: Any) -> str:
    word = re.sub(r"[\s-]+", "_", str(value or "").strip().lower())
    return word if word in CAMERA_ANGLES else "eye_level"


def _speaker(value: Any, cast: dict[str, str]) -> str | None:
    return cast.get(str(value or "").strip().lower())


def _characters(value: Any, cast: dict[str, str], speaker: str | None) -> list[str]:
    names = value if isinstance(value, list) else []
    slugs = [cast[key] for key in (str(name).strip().lower() for name in names) if key in cast]
    if speaker:
        slugs.append(speaker)
    return list(dict.fromkeys(slugs))


def _text(value: Any, limit: int) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())[:limit]
