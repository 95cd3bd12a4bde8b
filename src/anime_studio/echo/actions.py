"""Actions Echo Brain proposes from a request, and how each is applied once a person confirms it.

Requests are recognised by their wording (the same with every language engine, so a proposal never depends on
how a model phrased its answer); the proposal holds the exact change, so what is confirmed is what is applied.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.characters.schemas import AppearanceData, CharacterUpdate
from anime_studio.echo import enhance
from anime_studio.echo.models import EchoAction
from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import LlmEngine
from anime_studio.errors import Conflict, Invalid
from anime_studio.scenes import story as scene_story
from anime_studio.scenes.schemas import PlannedScene

DRAFT = re.compile(r"\bdraft\s+(?:the\s+)?scenes?\b[^:]*:\s*(?P<text>.+)", re.IGNORECASE | re.DOTALL)
ERROR = re.compile(
    r"\badd\s+(?:a\s+|the\s+)?common\s+error\s+(?:to|for)\s+(?P<who>[^:]+?)\s*:\s*(?P<text>.+)",
    re.IGNORECASE | re.DOTALL,
)
ENHANCE = re.compile(r"\b(?:enhance|improve)\b.*\bprompt\b", re.IGNORECASE | re.DOTALL)
MAX_SCENES = 8


def _named(question: str, cast: list[Character]) -> Character | None:
    for character in sorted(cast, key=lambda c: -len(c.name)):
        if re.search(rf"(?<!\w){re.escape(character.name)}(?!\w)", question, re.IGNORECASE):
            return character
    return None


async def propose(
    *, session: AsyncSession, llm: LlmEngine, project_id: int, question: str
) -> list[tuple[str, str, dict[str, Any]]]:
    """``(kind, summary, payload)`` of each action the question asks for."""
    cast = await characters.all_for_project(session=session, project_id=project_id)
    found: list[tuple[str, str, dict[str, Any]]] = []
    if match := ERROR.search(question):
        who = _named(match["who"], cast)
        text = " ".join(match["text"].split()).strip(" .")[:200]
        if who is not None and text:
            found.append(
                (
                    "add_common_error",
                    f"Add “{text}” to {who.name}'s common errors",
                    {"character_id": who.id, "error": text},
                )
            )
    elif match := DRAFT.search(question):
        found.append(await _draft(session, llm, project_id, match["text"].strip()))
    elif ENHANCE.search(question) and (who := _named(question, cast)) is not None and who.design_prompt.strip():
        result = await enhance.enhance(session=session, engine=llm, project_id=project_id, prompt=who.design_prompt)
        payload = {"character_id": who.id, "before": who.design_prompt, "after": result.enhanced}
        payload["diff"] = [part.model_dump() for part in result.diff]
        found.append(("enhance_prompt", f"Replace {who.name}'s design prompt with the enhanced one", payload))
    return found


async def _draft(
    session: AsyncSession, llm: LlmEngine, project_id: int, paragraph: str
) -> tuple[str, str, dict[str, Any]]:
    context = await scene_story.context(session=session, project_id=project_id)
    context = context.model_copy(update={"script": paragraph, "summary": paragraph})
    try:
        plans = scene_story.checked(await llm.breakdown(context, max_scenes=MAX_SCENES), engine=llm.name)
    except EngineError as error:
        raise Invalid(f"could not draft scenes from that paragraph: {error}") from error
    titles = ", ".join(plan.title for plan in plans)
    return "draft_scenes", f"Create {len(plans)} scene(s): {titles}", {"scenes": [p.model_dump() for p in plans]}


async def apply(*, session: AsyncSession, action: EchoAction) -> dict[str, Any]:
    """Make the confirmed change; refuses (409) when the project changed under the proposal."""
    payload = action.payload
    if action.kind == "draft_scenes":
        plans = [PlannedScene.model_validate(plan) for plan in payload["scenes"]]
        created = await scene_story.save(session=session, project_id=action.project_id, plans=plans)
        return {"scene_ids": [scene.id for scene in created]}
    character = await characters.get(session=session, character_id=int(payload["character_id"]))
    if character.project_id != action.project_id:
        raise Conflict("that character no longer belongs to this project")
    if action.kind == "enhance_prompt":
        if character.design_prompt != payload["before"]:
            raise Conflict(f"{character.name}'s design prompt changed since this was proposed; ask again")
        await characters.update(
            session=session, character=character, data=CharacterUpdate(design_prompt=payload["after"])
        )
        return {"character_id": character.id}
    appearance = AppearanceData.model_validate(character.appearance_data or {})
    errors = list(appearance.common_errors)
    if payload["error"].lower() not in (e.lower() for e in errors):
        errors.append(payload["error"])
    appearance = appearance.model_copy(update={"common_errors": errors})
    await characters.update(session=session, character=character, data=CharacterUpdate(appearance_data=appearance))
    return {"character_id": character.id, "common_errors": errors}
