"""Migration 0004 creates exactly what the learning and correction models declare."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from anime_studio.db.models import metadata
from anime_studio.db.session import Database

TABLES = {"drift_warnings", "correction_settings", "corrections"}


def _tables_of(diff: Any) -> set[str]:
    """Table names a diff entry (or a group of column diffs) touches."""
    if isinstance(diff, list):
        return set().union(*(_tables_of(d) for d in diff))
    for part in diff[1:]:
        table = getattr(part, "table", None)
        if table is not None:
            return {table.name}
        if getattr(part, "name", None) in TABLES:
            return {part.name}
        if isinstance(part, str) and part in TABLES:
            return {part}
    return set()


async def test_models_match_the_migration(db: Database) -> None:
    async with db.engine.connect() as conn:
        diffs = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    assert [d for d in diffs if _tables_of(d) & TABLES] == []
