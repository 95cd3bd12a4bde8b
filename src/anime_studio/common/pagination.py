"""Offset pagination for list endpoints: ``?limit=&offset=`` → ``{items, total, limit, offset}``."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel
from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


async def paginate(session: AsyncSession, query: Select[Any], *, limit: int, offset: int) -> tuple[list[Any], int]:
    """Run ``query`` for one page and count all its rows."""
    total = await session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return list(rows), total
