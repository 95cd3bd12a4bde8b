"""Generation styles."""

from __future__ import annotations

from fastapi import APIRouter, status

from anime_studio.common.pagination import Page
from anime_studio.deps import CurrentUser, EditorUser, ItemId, Limit, Offset, SessionDep
from anime_studio.styles import service
from anime_studio.styles.schemas import StyleCreate, StyleRead, StyleUpdate

router = APIRouter(tags=["styles"])


@router.get("/generation-styles", response_model=Page[StyleRead])
async def list_styles(_: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0) -> Page[StyleRead]:
    """Generation styles by name."""
    items, total = await service.list_styles(session=session, limit=limit, offset=offset)
    return Page(items=[StyleRead.model_validate(s) for s in items], total=total, limit=limit, offset=offset)


@router.post("/generation-styles", response_model=StyleRead, status_code=status.HTTP_201_CREATED)
async def create_style(body: StyleCreate, _: EditorUser, session: SessionDep) -> StyleRead:
    """Create a generation style (checkpoint, CFG, steps, sampler, resolution, quality tags)."""
    return StyleRead.model_validate(await service.create(session=session, data=body))


@router.get("/generation-styles/{style_id}", response_model=StyleRead)
async def get_style(style_id: ItemId, _: CurrentUser, session: SessionDep) -> StyleRead:
    """One generation style."""
    return StyleRead.model_validate(await service.get(session=session, style_id=style_id))


@router.patch("/generation-styles/{style_id}", response_model=StyleRead)
async def update_style(style_id: ItemId, body: StyleUpdate, _: EditorUser, session: SessionDep) -> StyleRead:
    """Change some fields of a generation style."""
    style = await service.get(session=session, style_id=style_id)
    return StyleRead.model_validate(await service.update(session=session, style=style, data=body))


@router.delete("/generation-styles/{style_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_style(style_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Delete a style no project uses."""
    await service.delete(session=session, style=await service.get(session=session, style_id=style_id))
