"""Generation styles: CRUD; a style used by a project cannot be deleted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.common.pagination import paginate
from anime_studio.errors import Conflict, NotFound
from anime_studio.projects.models import Project
from anime_studio.styles.models import GenerationStyle
from anime_studio.styles.schemas import StyleCreate, StyleFields, StyleUpdate


async def get(*, session: AsyncSession, style_id: int) -> GenerationStyle:
    style = await session.get(GenerationStyle, style_id)
    if style is None:
        raise NotFound(f"generation style {style_id} not found")
    return style


async def list_styles(*, session: AsyncSession, limit: int, offset: int) -> tuple[list[GenerationStyle], int]:
    return await paginate(session, select(GenerationStyle).order_by(GenerationStyle.name), limit=limit, offset=offset)


async def _ensure_name_free(session: AsyncSession, name: str, *, exclude: int | None = None) -> None:
    query = select(GenerationStyle.id).where(func.lower(GenerationStyle.name) == name.lower())
    if exclude is not None:
        query = query.where(GenerationStyle.id != exclude)
    if await session.scalar(query) is not None:
        raise Conflict(f"a generation style named {name!r} already exists")


async def create(*, session: AsyncSession, data: StyleCreate) -> GenerationStyle:
    """Create a named generation style."""
    await _ensure_name_free(session, data.name)
    style = GenerationStyle(**data.model_dump())
    session.add(style)
    await session.flush()
    return style


async def create_default_for(*, session: AsyncSession, project_name: str) -> GenerationStyle:
    """A fresh style with the studio defaults for a new project, named after it."""
    base = f"{project_name} style"[:110]
    name, n = base, 1
    while await session.scalar(select(GenerationStyle.id).where(func.lower(GenerationStyle.name) == name.lower())):
        n += 1
        name = f"{base} {n}"
    return await create(session=session, data=StyleCreate(name=name, **StyleFields().model_dump()))


async def update(*, session: AsyncSession, style: GenerationStyle, data: StyleUpdate) -> GenerationStyle:
    changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude_none=True)
    if "name" in changes:
        await _ensure_name_free(session, changes["name"], exclude=style.id)
    for key, value in changes.items():
        setattr(style, key, value)
    await session.flush()
    return style


async def delete(*, session: AsyncSession, style: GenerationStyle) -> None:
    users = (await session.scalars(select(Project.name).where(Project.default_style_id == style.id))).all()
    if users:
        raise Conflict(f"style {style.name!r} is the default of: {', '.join(users)}")
    await session.delete(style)
