"""Alembic environment: runs migrations synchronously over psycopg 3."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, pool

from anime_studio.db.models import metadata

config = context.config


def include_name(name: str | None, type_: str, parent_names: object) -> bool:
    """Procrastinate's tables belong to procrastinate's own schema script, not to autogenerate."""
    return not (type_ == "table" and name is not None and name.startswith("procrastinate"))


def run_migrations_online() -> None:
    url = config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    engine = create_engine(url, poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, target_metadata=metadata, compare_type=True, include_name=include_name)
        with context.begin_transaction():
            # Serialise concurrent upgrades (serve + worker starting together).
            connection.exec_driver_sql("SELECT pg_advisory_xact_lock(84010001)")
            context.run_migrations()
    engine.dispose()


run_migrations_online()
