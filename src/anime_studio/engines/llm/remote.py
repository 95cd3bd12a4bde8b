"""The flow shared by remote language engines: ask in a JSON schema, validate, repair, fall back."""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from typing import Any

from pydantic import ValidationError

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.llm import prompting
from anime_studio.engines.llm.base import AppearanceDraft, ChatMessage, ScenePlan, StoryContext
from anime_studio.engines.llm.normalise import scenes_from
from anime_studio.engines.remote.parsing import extract_json

log = logging.getLogger(__name__)

BREAKDOWN_ATTEMPTS = 2


class RemoteLanguageModel(ABC):
    """Breakdown, prompt enhancement and chat through one ``_complete`` call a backend implements."""

    name: str

    async def breakdown(self, context: StoryContext, *, max_scenes: int = 12) -> list[ScenePlan]:
        """Scenes with shots from the story; asks again once if the answer holds no usable scenes."""
        if max_scenes < 1:
            raise EngineError("max_scenes must be at least 1")
        if not (context.script.strip() or context.summary.strip()):
            # Without a story the model would invent one: refuse, as the rules engine does.
            raise EngineError("nothing to break down: write a script or a storyline summary first")
        messages = prompting.breakdown_messages(context, max_scenes=max_scenes)
        schema = prompting.breakdown_schema([c.slug for c in context.characters])
        problem = ""
        for attempt in range(BREAKDOWN_ATTEMPTS):
            answer = await self._complete(messages, schema=schema, schema_name="scene_breakdown")
            try:
                scenes = scenes_from(extract_json(answer), context, max_scenes=max_scenes)
            except (ValueError, ValidationError) as error:
                problem = str(error)
                log.warning("breakdown attempt %d unusable: %s", attempt + 1, problem)
                continue
            if scenes:
                return scenes
            problem = "the model returned no scenes"
        raise EngineError(f"the language model gave no usable scene breakdown ({problem})")

    async def enhance_prompt(self, prompt: str, *, context: StoryContext | None = None) -> str:
        """A richer prompt that keeps every user term (the original terms are restored if the model drops any)."""
        if not prompt.strip(" ,\n\t"):
            raise EngineError("nothing to enhance: the prompt is empty")
        answer = await self._complete(
            prompting.enhance_messages(prompt, context), schema=prompting.ENHANCE_SCHEMA, schema_name="prompt"
        )
        return prompting.merge_enhanced(prompt, _enhanced_text(answer))

    async def chat(self, messages: list[ChatMessage], *, context: StoryContext | None = None) -> str:
        """The assistant's free-text reply to the conversation."""
        if not messages:
            raise EngineError("chat needs at least one message")
        answer = await self._complete(prompting.chat_messages(messages, context))
        return answer.strip()

    async def describe_appearance(self, *, name: str, design_prompt: str, description: str = "") -> AppearanceDraft:
        """Appearance data from the model, validated and trimmed to the schema's limits."""
        if not design_prompt.strip():
            raise EngineError(f"{name or 'the character'} has no design prompt to describe")
        answer = await self._complete(
            prompting.appearance_messages(name, design_prompt, description),
            schema=prompting.APPEARANCE_SCHEMA,
            schema_name="appearance",
        )
        try:
            data = extract_json(answer)
            pairs = data.get("key_colors", []) if isinstance(data, dict) else []
            return AppearanceDraft(
                species=str(data.get("species") or "human")[:200],
                key_colors={
                    str(p["part"])[:64]: str(p["color"])[:64] for p in pairs if p.get("part") and p.get("color")
                },
                key_features=[str(f)[:200] for f in data.get("key_features", [])][:12],
                common_errors=[str(e)[:200] for e in data.get("common_errors", [])][:12],
            )
        except (ValueError, AttributeError, TypeError, KeyError, ValidationError) as error:
            raise EngineError(f"the language model gave no usable appearance ({error})") from error

    @abstractmethod
    async def _complete(
        self, messages: list[ChatMessage], *, schema: dict[str, Any] | None = None, schema_name: str = "answer"
    ) -> str:
        """Send the conversation (optionally constrained to ``schema``); return the reply text."""

    @abstractmethod
    async def status(self) -> EngineStatus: ...


def _enhanced_text(answer: str) -> str:
    """The ``prompt`` field of the answer, or the answer itself when the model ignored the JSON shape."""
    try:
        data = extract_json(answer)
    except ValueError:
        return answer.strip().strip('"')
    if isinstance(data, dict) and isinstance(data.get("prompt"), str):
        return str(data["prompt"])
    return data if isinstance(data, str) else ""
