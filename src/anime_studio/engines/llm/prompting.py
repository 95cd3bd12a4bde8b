"""Prompts and JSON schemas for the remote language engines, shared by Ollama and OpenAI-compatible ones."""

from __future__ import annotations

import re
from typing import Any

from anime_studio.engines.llm.base import ChatMessage, StoryContext
from anime_studio.engines.video.presets import MOTION_PRESETS

SHOT_TYPES = ("establishing", "wide", "medium", "close-up", "extreme_close-up", "action")
TIMES_OF_DAY = ("dawn", "morning", "midday", "afternoon", "sunset", "evening", "night")
CAMERA_ANGLES = ("eye_level", "low_angle", "high_angle", "birds_eye", "dutch_angle", "over_the_shoulder", "pov")
MAX_SCRIPT_CHARS = 16_000

PLANNER_SYSTEM = (
    "You are a professional anime scene planner and storyboard artist. You break stories into concrete "
    "production scenes and shots that an animation pipeline can render. You answer with JSON only."
)


def breakdown_schema(slugs: list[str]) -> dict[str, Any]:
    """JSON schema of ``{"scenes": [ScenePlan…]}`` (strict-mode compatible, speakers limited to the cast)."""
    cast: dict[str, Any] = {"type": "string", "enum": slugs} if slugs else {"type": "string"}
    speaker: dict[str, Any] = {"type": "string", "enum": [*slugs, ""]} if slugs else {"type": "string"}
    shot = _object(
        shot_type={"type": "string", "enum": list(SHOT_TYPES)},
        camera_angle={"type": "string", "enum": list(CAMERA_ANGLES)},
        description={"type": "string"},
        motion_prompt={"type": "string"},
        duration={"type": "number", "description": "seconds, 2 to 6"},
        characters={"type": "array", "items": cast},
        dialogue_character={**speaker, "description": "slug of the speaker, empty when nobody speaks"},
        dialogue_text={"type": "string"},
    )
    scene = _object(
        title={"type": "string"},
        description={"type": "string"},
        location={"type": "string"},
        time_of_day={"type": "string", "enum": list(TIMES_OF_DAY)},
        weather={"type": "string"},
        mood={"type": "string"},
        shots={"type": "array", "items": shot},
    )
    return _object(scenes={"type": "array", "items": scene})


def _object(**properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


APPEARANCE_SCHEMA: dict[str, Any] = _object(
    species={"type": "string"},
    key_colors={"type": "array", "items": _object(part={"type": "string"}, color={"type": "string"})},
    key_features={"type": "array", "items": {"type": "string"}},
    common_errors={"type": "array", "items": {"type": "string"}},
)


def appearance_messages(name: str, design_prompt: str, description: str) -> list[ChatMessage]:
    """Ask for the structured appearance the vision reviewer checks and the negatives use."""
    system = (
        "You describe anime characters for an image-generation pipeline. From the design prompt, give: species "
        '("human", or a short noun followed by "(NOT human)" for anything that is not a person); key colours as '
        "part/colour pairs (hair, eyes, outfit pieces; colour names or #hex); 4-6 key visual features; and common "
        "errors an image model makes with this character (terms for the negative prompt). Use only what the design "
        "implies. Answer with JSON only."
    )
    user = f"Name: {name}\nDesign prompt: {design_prompt}\nDescription: {description or '-'}"
    return [ChatMessage(role="system", content=system), ChatMessage(role="user", content=user)]


def breakdown_messages(context: StoryContext, *, max_scenes: int) -> list[ChatMessage]:
    """System + user messages asking for the scene breakdown of ``context``."""
    low = min(3, max_scenes)
    rules = [
        f"Break the story below into {low} to {max_scenes} production scenes, in story order.",
        "For every scene give: title (3-6 words), description (1-2 sentences), location, "
        f"time_of_day (one of {', '.join(TIMES_OF_DAY)}), weather, mood (one word such as tense, peaceful, "
        "action, melancholy, romantic, comedic, powerful) and 2 to 5 shots.",
        f"Every shot has shot_type (exactly one of: {', '.join(SHOT_TYPES)}), camera_angle, description "
        "(what the frame shows), motion_prompt (one sentence describing camera and character motion for an "
        "image-to-video model), duration in seconds (2 to 6) and characters (slugs of the characters in frame).",
        "Dialogue: at most one line per shot, in dialogue_text, spoken by dialogue_character (a character slug); "
        "leave both empty when nobody speaks. Use only the slugs listed under Characters.",
        "Motion prompt examples: " + "; ".join(presets[0] for presets in MOTION_PRESETS.values()) + ".",
        'Answer with a JSON object {"scenes": [...]} and nothing else.',
    ]
    sections = [
        "Story Context:\n" + story_context(context),
        "Characters:\n" + character_list(context),
        "World Setting:\n" + world_context(context),
    ]
    if context.script.strip():
        sections.append("Script:\n" + context.script.strip()[:MAX_SCRIPT_CHARS])
    user = "\n".join(rules) + "\n\n" + "\n\n".join(sections)
    return [ChatMessage(role="system", content=PLANNER_SYSTEM), ChatMessage(role="user", content=user)]


def story_context(context: StoryContext) -> str:
    """``Title: …`` / ``Summary: …`` lines, only those that are set."""
    fields = [
        ("Project", context.project_name),
        ("Title", context.title),
        ("Summary", context.summary),
        ("Tone", context.tone),
        ("Genre", context.genre),
        ("Themes", ", ".join(context.themes)),
    ]
    lines = [f"{label}: {value.strip()}" for label, value in fields if value and value.strip()]
    return "\n".join(lines) if len(lines) > 1 else "No storyline defined yet."


def character_list(context: StoryContext) -> str:
    """One line per character with slug, role and design."""
    if not context.characters:
        return "No characters defined."
    return "\n".join(
        f"- {c.name} (slug: {c.slug}{', ' + c.role if c.role else ''}): {c.design_prompt or 'no description'}"
        for c in context.characters
    )


def world_context(context: StoryContext) -> str:
    """Art style and world description, or a note that there are none."""
    lines = [f"Art style: {context.art_style}"] if context.art_style else []
    if context.world_description:
        lines.append(f"World: {context.world_description}")
    return "\n".join(lines) or "No world settings defined."


ENHANCE_SCHEMA: dict[str, Any] = _object(prompt={"type": "string"})

ENHANCE_SYSTEM = (
    "You improve prompts for an anime image generator (Stable Diffusion tag style). You keep every term the "
    "user wrote, verbatim, and add concrete visual detail: composition, lighting, colour, atmosphere, quality "
    "tags. You answer with JSON only."
)


def enhance_messages(prompt: str, context: StoryContext | None) -> list[ChatMessage]:
    """Ask for a richer comma-separated prompt that contains every original term."""
    user = [
        "Rewrite this generation prompt as one line of comma-separated tags and short phrases.",
        "Keep every one of these terms exactly as written: " + "; ".join(prompt_terms(prompt)),
        "Add 5 to 12 new visual details. Do not add characters that are not mentioned.",
        'Answer as {"prompt": "..."}.',
        f"Prompt: {prompt.strip()}",
    ]
    if context is not None:
        user.append("Project style: " + (context.art_style or context.genre or context.project_name))
    return [ChatMessage(role="system", content=ENHANCE_SYSTEM), ChatMessage(role="user", content="\n".join(user))]


def prompt_terms(prompt: str) -> list[str]:
    """The user's terms: comma/newline-separated parts, whitespace collapsed, duplicates dropped."""
    parts = (" ".join(part.split()) for part in re.split(r"[,\n]", prompt))
    return list(dict.fromkeys(part for part in parts if part))


def missing_terms(original: str, enhanced: str) -> list[str]:
    """Terms of ``original`` that ``enhanced`` lost (case- and whitespace-insensitive)."""
    haystack = " ".join(enhanced.lower().split())
    return [term for term in prompt_terms(original) if term.lower() not in haystack]


def merge_enhanced(original: str, enhanced: str) -> str:
    """The enhanced prompt if it kept every term; else the original with the model's new terms appended."""
    enhanced = " ".join(enhanced.split()).strip(" ,")
    if not enhanced:
        return original.strip()
    if not missing_terms(original, enhanced):
        return enhanced
    kept = {term.lower() for term in prompt_terms(original)}
    extra = [term for term in prompt_terms(enhanced) if term.lower() not in kept]
    return ", ".join([*prompt_terms(original), *extra])


def chat_messages(messages: list[ChatMessage], context: StoryContext | None) -> list[ChatMessage]:
    """The conversation, preceded by a system message that grounds the model in the project."""
    system = "You are the writing assistant of an anime production studio. Be concise and concrete."
    if context is not None:
        system += (
            "\n\nProject:\n"
            + story_context(context)
            + "\n\nCharacters:\n"
            + character_list(context)
            + "\n\nWorld:\n"
            + world_context(context)
        )
    return [ChatMessage(role="system", content=system), *messages]
