"""Draft appearance data for characters from their design prompts with the language engine."""

from __future__ import annotations

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service
from anime_studio.characters.models import Character
from anime_studio.characters.schemas import AppearanceData, CharacterUpdate
from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId
from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import LlmEngine
from anime_studio.errors import Invalid


class NarrateRequest(RequestModel):
    character_id: DbId | None = None
    project_id: DbId | None = None
    save: bool = False
    missing_only: bool = False


class NarrateResult(BaseModel):
    character_id: int
    name: str
    status: str  # ok, skipped, error
    appearance_data: AppearanceData | None = None
    error: str | None = None


class NarrateResponse(BaseModel):
    narrated: int
    errors: int
    results: list[NarrateResult]


def _described(character: Character) -> bool:
    data = character.appearance_data or {}
    return bool(data.get("key_colors") or data.get("key_features"))


async def _targets(session: AsyncSession, body: NarrateRequest) -> list[Character]:
    if body.character_id is not None:
        return [await service.get(session=session, character_id=body.character_id)]
    if body.project_id is not None:
        return await service.all_for_project(session=session, project_id=body.project_id)
    raise Invalid("give character_id or project_id")


async def narrate(*, session: AsyncSession, engine: LlmEngine, body: NarrateRequest) -> NarrateResponse:
    """Draft (and with ``save`` store) appearance data; ``missing_only`` skips characters already described."""
    results = []
    for character in await _targets(session, body):
        result = NarrateResult(character_id=character.id, name=character.name, status="skipped")
        results.append(result)
        if body.missing_only and _described(character):
            continue
        try:
            draft = await engine.describe_appearance(
                name=character.name, design_prompt=character.design_prompt, description=character.description
            )
            appearance = AppearanceData.model_validate(draft.model_dump())
        except (EngineError, ValidationError) as error:
            result.status, result.error = "error", str(error)
            continue
        if body.save:
            await service.update(session=session, character=character, data=CharacterUpdate(appearance_data=appearance))
        result.status, result.appearance_data = "ok", appearance
    errors = sum(1 for r in results if r.status == "error")
    return NarrateResponse(narrated=sum(1 for r in results if r.status == "ok"), errors=errors, results=results)
