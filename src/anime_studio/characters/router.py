"""Characters of a project and their composed prompt."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from anime_studio.characters import service
from anime_studio.characters.narrate import NarrateRequest, NarrateResponse, narrate
from anime_studio.characters.schemas import (
    AppearanceData,
    AppearanceUpdate,
    CharacterCreate,
    CharacterCreateInProject,
    CharacterPrompt,
    CharacterRead,
    CharacterUpdate,
    CharacterWithProject,
    PromptParts,
)
from anime_studio.common.pagination import Page
from anime_studio.common.types import MAX_DB_INT
from anime_studio.deps import CurrentUser, EditorUser, EnginesDep, ItemId, Limit, Offset, ProjectId, SessionDep
from anime_studio.projects import service as projects

router = APIRouter(tags=["characters"])


@router.get("/projects/{project_id}/characters", response_model=Page[CharacterRead])
async def list_characters(
    project_id: ProjectId, _: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> Page[CharacterRead]:
    """The project's characters by name."""
    await projects.get(session=session, project_id=project_id)
    items, total = await service.list_for_project(session=session, project_id=project_id, limit=limit, offset=offset)
    return Page(items=[CharacterRead.model_validate(c) for c in items], total=total, limit=limit, offset=offset)


@router.post("/projects/{project_id}/characters", response_model=CharacterRead, status_code=status.HTTP_201_CREATED)
async def create_character(
    project_id: ProjectId, body: CharacterCreate, _: EditorUser, session: SessionDep
) -> CharacterRead:
    """Add a character (design prompt, appearance data, voice)."""
    return CharacterRead.model_validate(await service.create(session=session, project_id=project_id, data=body))


@router.get("/characters", response_model=Page[CharacterWithProject])
async def list_all_characters(
    _: CurrentUser,
    session: SessionDep,
    project_id: Annotated[int | None, Query(ge=1, le=MAX_DB_INT)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[CharacterWithProject]:
    """Characters of every project (or of ``project_id``) with their project's name."""
    rows, total = await service.list_all(session=session, project_id=project_id, limit=limit, offset=offset)
    items = [
        CharacterWithProject(**CharacterRead.model_validate(c).model_dump(), project_name=p.name, project_slug=p.slug)
        for c, p in rows
    ]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/characters", response_model=CharacterRead, status_code=status.HTTP_201_CREATED)
async def create_character_flat(body: CharacterCreateInProject, _: EditorUser, session: SessionDep) -> CharacterRead:
    """Add a character to the project named by ``project_id`` in the body."""
    data = CharacterCreate.model_validate(body.model_dump(exclude={"project_id"}))
    return CharacterRead.model_validate(await service.create(session=session, project_id=body.project_id, data=data))


@router.post("/characters/narrate-appearance", response_model=NarrateResponse)
async def narrate_appearance(
    body: NarrateRequest, engines: EnginesDep, _: EditorUser, session: SessionDep
) -> NarrateResponse:
    """Draft species, key colours, features and common errors from design prompts (``save`` stores them)."""
    return await narrate(session=session, engine=engines.llm, body=body)


@router.get("/characters/{character_id}/appearance", response_model=AppearanceData)
async def get_appearance(character_id: ItemId, _: CurrentUser, session: SessionDep) -> AppearanceData:
    """The structured appearance data (species, key colours, key features, common errors)."""
    character = await service.get(session=session, character_id=character_id)
    return AppearanceData.model_validate(character.appearance_data)


@router.put("/characters/{character_id}/appearance", response_model=AppearanceData)
async def put_appearance(
    character_id: ItemId, body: AppearanceUpdate, _: EditorUser, session: SessionDep
) -> AppearanceData:
    """Replace the structured appearance data."""
    character = await service.get(session=session, character_id=character_id)
    updated = await service.update(
        session=session, character=character, data=CharacterUpdate(appearance_data=body.appearance_data)
    )
    return AppearanceData.model_validate(updated.appearance_data)


@router.get("/characters/{character_id}", response_model=CharacterRead)
async def get_character(character_id: ItemId, _: CurrentUser, session: SessionDep) -> CharacterRead:
    """One character."""
    return CharacterRead.model_validate(await service.get(session=session, character_id=character_id))


@router.patch("/characters/{character_id}", response_model=CharacterRead)
async def update_character(
    character_id: ItemId, body: CharacterUpdate, _: EditorUser, session: SessionDep
) -> CharacterRead:
    """Change some fields of a character (appearance data and voice are replaced whole)."""
    character = await service.get(session=session, character_id=character_id)
    return CharacterRead.model_validate(await service.update(session=session, character=character, data=body))


@router.delete("/characters/{character_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_character(character_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Delete a character's record (its dataset folder stays on disk)."""
    await service.delete(session=session, character=await service.get(session=session, character_id=character_id))


@router.get("/characters/{character_id}/prompt", response_model=CharacterPrompt)
async def get_character_prompt(character_id: ItemId, _: CurrentUser, session: SessionDep) -> CharacterPrompt:
    """The final positive and negative prompt the studio generates this character with."""
    character = await service.get(session=session, character_id=character_id)
    composed, style = await service.compose_prompt(session=session, character=character)
    return CharacterPrompt(
        character_id=character.id,
        project_id=character.project_id,
        positive=composed.positive,
        negative=composed.negative,
        is_human=composed.is_human,
        checkpoint_model=style.checkpoint_model,
        parts=PromptParts(
            quality_tags=composed.quality_tags,
            design_prompt=composed.design_prompt,
            base_negative=composed.base_negative,
            world_negative=composed.world_negative,
            species_negative=composed.species_negative,
            common_errors=composed.common_errors,
        ),
    )
