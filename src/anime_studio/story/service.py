"""Storyline and world settings: one row each per project, created on first write."""

from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.story.models import Storyline, WorldSettings

Row = TypeVar("Row", Storyline, WorldSettings)


async def _find(session: AsyncSession, model: type[Row], project_id: int) -> Row | None:
    return await session.scalar(select(model).where(model.project_id == project_id))


async def _save(session: AsyncSession, model: type[Row], project_id: int, data: BaseModel) -> Row:
    row = await _find(session, model, project_id)
    if row is None:
        row = model(project_id=project_id)
        session.add(row)
    for key, value in data.model_dump(exclude_unset=True, exclude_none=True).items():
        setattr(row, key, value)
    await session.flush()
    await session.refresh(row)
    return row


async def find_storyline(*, session: AsyncSession, project_id: int) -> Storyline | None:
    return await _find(session, Storyline, project_id)


async def save_storyline(*, session: AsyncSession, project_id: int, data: BaseModel) -> Storyline:
    """Write the given fields of the storyline; omitted fields keep their value."""
    return await _save(session, Storyline, project_id, data)


async def find_world(*, session: AsyncSession, project_id: int) -> WorldSettings | None:
    return await _find(session, WorldSettings, project_id)


async def save_world(*, session: AsyncSession, project_id: int, data: BaseModel) -> WorldSettings:
    """Write the given fields of the world settings; omitted fields keep their value."""
    return await _save(session, WorldSettings, project_id, data)
