"""Process start-up shared by ``serve``, ``worker`` and the tests: database, migrations, event bridge."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from anime_studio.auth import service as auth_service
from anime_studio.config import Settings
from anime_studio.db import migrate
from anime_studio.db.server import database_url, libpq_url
from anime_studio.db.session import Database
from anime_studio.events.bridge import PgBridge
from anime_studio.events.bus import EventBus, get_bus

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> str:
    """Start the embedded server if needed and apply migrations; return the SQLAlchemy URL."""
    url = database_url(settings)
    migrate.upgrade(url)
    return url


@dataclass
class Runtime:
    settings: Settings
    db: Database
    bus: EventBus
    bridge: PgBridge


@asynccontextmanager
async def runtime(settings: Settings, url: str) -> AsyncIterator[Runtime]:
    """Open the database pool and the cross-process event bridge for the life of the process."""
    db = Database.connect(url)
    bus = get_bus()
    bridge = PgBridge(bus, libpq_url(url))
    await bridge.start()
    try:
        yield Runtime(settings=settings, db=db, bus=bus, bridge=bridge)
    finally:
        await bridge.stop()
        await db.dispose()


async def ensure_admin(db: Database) -> tuple[str, str] | None:
    """Create the first admin on an empty database; returns its credentials once."""
    async with db.transaction() as session:
        return await auth_service.ensure_initial_admin(session=session)
