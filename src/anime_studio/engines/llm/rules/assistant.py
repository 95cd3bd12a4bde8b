"""The rules assistant: honest, deterministic answers about the project context it is given.

It recognises a handful of requests (characters, story, world, counts, scene breakdown, prompt
suggestions) and says plainly when a question needs a real language model.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from anime_studio.engines.llm.base import ChatMessage, ScenePlan, StoryContext
from anime_studio.engines.llm.rules.prompts import enhance
from anime_studio.engines.llm.rules.shots import CharacterIndex

CAPABILITIES = (
    "I am the built-in rules assistant: I follow fixed rules and do not understand free conversation. I can list "
    "the characters or describe one by name, summarise the storyline and the world, count characters and scenes, "
    "list the scenes the script breaks down into, and enhance an image prompt ('suggest a prompt for Mira on the "
    "rooftop at night')."
)
REAL_LLM = (
    "For open-ended help, configure a real language model: set ANIME_STUDIO_LLM_ENGINE=ollama (with "
    "ANIME_STUDIO_OLLAMA_URL and ANIME_STUDIO_OLLAMA_CHAT_MODEL) or ANIME_STUDIO_LLM_ENGINE=openai (with "
    "ANIME_STUDIO_OPENAI_BASE_URL, ANIME_STUDIO_OPENAI_API_KEY and ANIME_STUDIO_OPENAI_CHAT_MODEL) for any "
    "OpenAI-compatible server."
)
NO_CONTEXT = "No project context was given with this message, so I cannot answer questions about the project."

_PROMPT_REQUEST = re.compile(
    r"\b(?:suggest|enhance|improve|write|make|give me|create|generate|build)\b.*?\bprompts?\b"
    r"(?:\s*(?:for|of|about|showing|with|:)\s*)?(?P<subject>.*)$",
    re.IGNORECASE | re.DOTALL,
)
Breakdown = Callable[[StoryContext], list[ScenePlan]]


def reply(messages: list[ChatMessage], context: StoryContext | None, breakdown: Breakdown) -> str:
    """Answer the last user message."""
    question = next((m.content.strip() for m in reversed(messages) if m.role == "user"), "")
    if not question:
        return CAPABILITIES
    lowered = question.lower()
    if match := _PROMPT_REQUEST.search(question):
        return _prompt(match.group("subject").strip(" .?!\"'"), context)
    if re.search(r"\b(hello|hi|hey|help|what can you do|who are you)\b", lowered):
        return CAPABILITIES
    if context is None:
        return f"{NO_CONTEXT} {CAPABILITIES}"
    for answer in (_counts, _character, _characters, _scenes, _world, _story):
        text = answer(lowered, question, context, breakdown)
        if text:
            return text
    return f"I can't answer that with fixed rules. {CAPABILITIES} {REAL_LLM}"


def _prompt(subject: str, context: StoryContext | None) -> str:
    if not subject:
        return "Tell me what the image should show, e.g. 'suggest a prompt for Mira on the rooftop at night'."
    return f"Here is an enhanced prompt:\n\n{enhance(subject, context)}"


def _counts(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    if "how many" not in lowered:
        return ""
    if "character" in lowered:
        return f"The project has {len(context.characters)} character(s)."
    if "scene" in lowered or "shot" in lowered:
        scenes = breakdown(context) if context.script or context.summary else []
        shots = sum(len(s.shots) for s in scenes)
        if not scenes:
            return "There is no script or storyline summary yet, so there are no scenes to count."
        return f"The story breaks down into {len(scenes)} scene(s) with {shots} shot(s) in total."
    return ""


def _character(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    index = CharacterIndex(context.characters)
    named = index.named_in(question) or index.named_in(question.title())
    if not named:
        return ""
    return "\n".join(_describe(next(c for c in context.characters if c.slug == slug)) for slug in named)


def _describe(character: object) -> str:
    name, role, design = (getattr(character, f) for f in ("name", "role", "design_prompt"))
    parts = [f"{name}" + (f" ({role})" if role else "")]
    parts.append(f"design: {design}" if design else "no design prompt yet")
    return " — ".join(parts) + "."


def _characters(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    if not re.search(r"\b(characters?|cast|who)\b", lowered):
        return ""
    if not context.characters:
        return "The project has no characters yet."
    lines = [f"- {c.name}" + (f" ({c.role})" if c.role else "") for c in context.characters]
    return f"{context.project_name} has {len(context.characters)} character(s):\n" + "\n".join(lines)


def _scenes(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    if not re.search(r"\b(scenes?|break ?down|shots?)\b", lowered):
        return ""
    scenes = breakdown(context) if context.script or context.summary else []
    if not scenes:
        return "There is no script or storyline summary to break down yet."
    lines = [
        f"{i}. {s.title} — {s.time_of_day or 'any time'}, {s.mood}, {len(s.shots)} shots"
        for i, s in enumerate(scenes, 1)
    ]
    return "The story breaks down into these scenes:\n" + "\n".join(lines)


def _world(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    if not re.search(r"\b(world|setting|style|look|art)\b", lowered):
        return ""
    parts = [f"World: {context.world_description}" if context.world_description else "No world description yet."]
    parts.append(f"Art style: {context.art_style}" if context.art_style else "No art style set yet.")
    return "\n".join(parts)


def _story(lowered: str, question: str, context: StoryContext, breakdown: Breakdown) -> str:
    if not re.search(r"\b(story|plot|summary|storyline|synopsis|premise|genre|tone|themes?)\b", lowered):
        return ""
    parts = [f"{context.title or context.project_name}"]
    parts.append(context.summary or "No storyline summary yet.")
    facts = [f"{label}: {value}" for label, value in (("Genre", context.genre), ("Tone", context.tone)) if value]
    if context.themes:
        facts.append("Themes: " + ", ".join(context.themes))
    return "\n".join(parts + facts)
