"""Prompt enhancement that respects the single source of truth of each prompt term.

A generation prompt is composed from parts that each live in one place: the style's quality template, the world's
style preamble and art direction, the character's design prompt, the shot's motion or extra prompt. An enhancement
of one part must not copy in terms another part already supplies (they would be doubled in the final prompt, and an
edit of the style would no longer reach that character), so those additions are dropped and reported.
"""

from __future__ import annotations

import difflib
import re

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import prompts
from anime_studio.characters import service as characters
from anime_studio.echo.schemas import DiffPart, EnhanceResponse
from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import LlmEngine
from anime_studio.errors import BadGateway, Invalid
from anime_studio.scenes import story as scene_story
from anime_studio.story import service as story


def _key(term: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", term.lower()))


async def owned_elsewhere(*, session: AsyncSession, project_id: int) -> set[str]:
    """Terms the composition adds by itself: the style's quality template and the world's style and art direction."""
    style = await characters.project_style(session=session, project_id=project_id)
    world = await story.find_world(session=session, project_id=project_id)
    texts = [style.positive_prompt_template.replace(prompts.PROMPT_SLOT, "")]
    if world is not None:
        texts += [world.style_preamble, world.art_style]
    return {_key(term) for text in texts for term in prompts.split_terms(text) if _key(term)}


def diff(original: str, enhanced: str) -> list[DiffPart]:
    """Term-level differences, in the enhanced prompt's order."""
    before, after = prompts.split_terms(original), prompts.split_terms(enhanced)
    parts: list[DiffPart] = []
    matcher = difflib.SequenceMatcher(a=[_key(t) for t in before], b=[_key(t) for t in after], autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            parts += [DiffPart(op="keep", text=t) for t in after[b0:b1]]
            continue
        parts += [DiffPart(op="remove", text=t) for t in before[a0:a1]]
        parts += [DiffPart(op="add", text=t) for t in after[b0:b1]]
    return parts


async def enhance(*, session: AsyncSession, engine: LlmEngine, project_id: int, prompt: str) -> EnhanceResponse:
    """The engine's richer prompt, without terms that the style or world already supply, and its diff."""
    context = await scene_story.context(session=session, project_id=project_id)
    try:
        raw = await engine.enhance_prompt(prompt, context=context)
    except EngineError as error:
        raise (Invalid if engine.name == "rules" else BadGateway)(str(error)) from error
    owned = await owned_elsewhere(session=session, project_id=project_id)
    mine = {_key(term) for term in prompts.split_terms(prompt)}
    kept: list[str] = []
    dropped: list[str] = []
    for term in prompts.split_terms(raw):
        key = _key(term)
        (dropped if key in owned and key not in mine else kept).append(term)
    enhanced = prompts.join_terms(kept)
    return EnhanceResponse(
        original=prompt,
        enhanced=enhanced,
        diff=diff(prompt, enhanced),
        engine=engine.name,
        left_to_style=prompts.join_terms(dropped).split(", ") if dropped else [],
    )
