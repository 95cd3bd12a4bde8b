"""``/api/lora/replenishment/*``: the spec's four endpoints plus the guard and per-character settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from anime_studio.autonomy import overview, service
from anime_studio.autonomy.schemas import (
    CharacterSettingsUpdate,
    CharacterStatus,
    GuardSettings,
    GuardSettingsUpdate,
    Readiness,
    ReplenishmentStatus,
)
from anime_studio.characters import service as characters
from anime_studio.common.types import SLUG_PATTERN
from anime_studio.deps import CurrentUser, EditorUser, ItemId, SessionDep, get_paths

router = APIRouter(prefix="/replenishment", tags=["autonomy"])

ProjectName = Annotated[str | None, Query(min_length=1, max_length=200, description="project name or slug")]


@router.get("/status", response_model=ReplenishmentStatus)
async def get_status(request: Request, _: CurrentUser, session: SessionDep) -> ReplenishmentStatus:
    """Loop status: the switch, guard limits, active tasks, daily counts and why each character waits."""
    return await overview.status(session=session, paths=get_paths(request))


@router.post("/toggle", response_model=ReplenishmentStatus)
async def toggle(
    enabled: Annotated[bool, Query(description="true: start the loop; false: stop starting new batches")],
    request: Request,
    principal: EditorUser,
    session: SessionDep,
) -> ReplenishmentStatus:
    """Enable or disable the loop (``?enabled=true``); enabling resumes every character that has a target."""
    await overview.toggle(session=session, enabled=enabled, user_id=principal.user.id)
    return await overview.status(session=session, paths=get_paths(request))


@router.post("/target", response_model=CharacterStatus)
async def set_target(
    target: Annotated[int, Query(ge=0, le=10_000, description="approved images wanted; 0 stops replenishing")],
    character_slug: Annotated[str, Query(pattern=SLUG_PATTERN)],
    request: Request,
    principal: EditorUser,
    session: SessionDep,
    project_name: ProjectName = None,
) -> CharacterStatus:
    """Set a character's target count (``?target=20&character_slug=luigi``); the loop works towards it."""
    character = await overview.find_character(session=session, slug=character_slug, project_name=project_name)
    return await overview.set_target(
        session=session, paths=get_paths(request), character=character, target=target, user_id=principal.user.id
    )


@router.get("/readiness", response_model=Readiness)
async def readiness(
    request: Request, _: CurrentUser, session: SessionDep, project_name: ProjectName = None
) -> Readiness:
    """Per-character progress towards the target (``?project_name=``; all projects without it)."""
    return await overview.readiness(session=session, paths=get_paths(request), project_name=project_name)


@router.get("/settings", response_model=GuardSettings)
async def get_settings(_: CurrentUser, session: SessionDep) -> GuardSettings:
    """The switch and the seven guards' limits."""
    return GuardSettings.model_validate(await service.settings(session=session))


@router.put("/settings", response_model=GuardSettings)
async def put_settings(body: GuardSettingsUpdate, _: EditorUser, session: SessionDep) -> GuardSettings:
    """Change guard limits (cooldown, daily limit, consecutive rejects, pending buffer, concurrency, batch size)."""
    row = await service.update_settings(session=session, values=body.model_dump(exclude_none=True))
    return GuardSettings.model_validate(row)


@router.put("/characters/{character_id}", response_model=CharacterSettingsUpdate)
async def put_character(
    character_id: ItemId, body: CharacterSettingsUpdate, _: EditorUser, session: SessionDep
) -> CharacterSettingsUpdate:
    """Whether this character's batches use the learning system's suggested parameters (off by default)."""
    await characters.get(session=session, character_id=character_id)
    await service.set_learned(session=session, character_id=character_id, use_learned=body.use_learned_parameters)
    return body
