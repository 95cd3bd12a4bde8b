"""The embedded language engine: deterministic rules instead of a model."""

from __future__ import annotations

import asyncio

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.llm.base import AppearanceDraft, ChatMessage, ScenePlan, StoryContext
from anime_studio.engines.llm.fountain import looks_like_fountain, parse
from anime_studio.engines.llm.rules.appearance import describe
from anime_studio.engines.llm.rules.assistant import reply
from anime_studio.engines.llm.rules.prompts import enhance
from anime_studio.engines.llm.rules.prose import prose_scenes
from anime_studio.engines.llm.rules.scenes import fountain_scenes

MAX_SCENES_LIMIT = 200


class RulesLlmEngine:
    """Breaks stories down exactly for Fountain screenplays (heuristically for prose), enhances prompts by template."""

    name = "rules"

    async def breakdown(self, context: StoryContext, *, max_scenes: int = 12) -> list[ScenePlan]:
        """Split a story into scenes with shots, locations, moods and motion prompts."""
        if not 1 <= max_scenes <= MAX_SCENES_LIMIT:
            raise EngineError(f"max_scenes must be between 1 and {MAX_SCENES_LIMIT}")
        if not (context.script.strip() or context.summary.strip()):
            raise EngineError("nothing to break down: write a script or a storyline summary first")
        return await asyncio.to_thread(breakdown, context, max_scenes)

    async def enhance_prompt(self, prompt: str, *, context: StoryContext | None = None) -> str:
        """The prompt unchanged, followed by the context's design, style, lighting, composition and quality terms."""
        return enhance(prompt, context)

    async def chat(self, messages: list[ChatMessage], *, context: StoryContext | None = None) -> str:
        """Deterministic answers about the given project; says so when a question needs a real model."""
        return await asyncio.to_thread(reply, messages, context, lambda c: breakdown(c, 12))

    async def describe_appearance(self, *, name: str, design_prompt: str, description: str = "") -> AppearanceDraft:
        """Colour + part terms become key colours, species from person/creature words, opposites as errors."""
        return describe(name, design_prompt)

    async def status(self) -> EngineStatus:
        """Always reachable: plain Python."""
        return EngineStatus(
            kind="llm",
            name=self.name,
            reachable=True,
            detail="deterministic rules: exact Fountain breakdown, prose heuristics, template prompt enhancement",
            models=["rules"],
        )


def breakdown(context: StoryContext, max_scenes: int) -> list[ScenePlan]:
    """Fountain screenplays scene by scene; any other text (or only a summary) by paragraphs and sentences."""
    script = context.script.strip()
    if script and looks_like_fountain(script):
        return fountain_scenes(parse(script), context, max_scenes)
    return prose_scenes(script or context.summary, context, max_scenes)
