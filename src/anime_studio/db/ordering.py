"""Ordered children (shots of a scene, scenes of a project or episode): one lock per parent row.

Positions and numbers are computed as ``max + 1`` or rewritten as ``1..N``; two transactions doing
that at once read the same rows and collide on the unique constraint (or deadlock on each other's
row locks). Every write that assigns or rewrites an order first locks the parent row, so writers to
one parent queue behind each other while writers to other parents run in parallel. ``FOR NO KEY
UPDATE`` does not conflict with the key-share locks foreign-key checks take, so workers inserting
rows that merely reference the parent (assets, runs) never wait on it.
"""

from __future__ import annotations

from sqlalchemy import Table, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from anime_studio.errors import NotFound


def _parent_table(parent_key: InstrumentedAttribute[int]) -> Table:
    (foreign_key,) = parent_key.property.columns[0].foreign_keys
    table = foreign_key.column.table
    assert isinstance(table, Table)
    return table


async def lock_parent(session: AsyncSession, parent_key: InstrumentedAttribute[int], parent_id: int) -> None:
    """Hold the row ``parent_key`` points at until the transaction ends (404 if it is gone)."""
    table = _parent_table(parent_key)
    query = select(table.c.id).where(table.c.id == parent_id).with_for_update(key_share=True)
    if await session.scalar(query) is None:
        raise NotFound(f"{table.name.rstrip('s')} {parent_id} not found")


async def next_number(
    session: AsyncSession, *, parent_key: InstrumentedAttribute[int], column: InstrumentedAttribute[int], parent_id: int
) -> int:
    """Lock the parent, then the next free ``column`` value among its children (1 for the first)."""
    await lock_parent(session, parent_key, parent_id)
    last = await session.scalar(select(func.max(column)).where(parent_key == parent_id))
    return (last or 0) + 1
