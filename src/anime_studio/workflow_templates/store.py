"""The image engine's view of the templates table (its own small connection pool, opened on first use)."""

from __future__ import annotations

import asyncio

from anime_studio.config import Settings
from anime_studio.db.session import Database
from anime_studio.engines.base import EngineError
from anime_studio.engines.comfyui.templates import Template
from anime_studio.workflow_templates import service


class DatabaseTemplateStore:
    """``TemplateStore`` backed by the studio database (``load`` by id or name)."""

    def __init__(self, settings: Settings, *, database: Database | None = None) -> None:
        self.settings = settings
        self._database = database
        self._lock = asyncio.Lock()

    async def _db(self) -> Database:
        async with self._lock:
            if self._database is None:
                from anime_studio.db.server import database_url

                url = await asyncio.to_thread(database_url, self.settings)
                self._database = Database.connect(url, pool_size=2)
            return self._database

    async def load(self, ref: str) -> Template:
        """The template named (or numbered) ``ref``; read fresh each time so edits apply at once."""
        database = await self._db()
        async with database.sessionmaker() as session:
            row = await service.find(session=session, ref=ref)
            if row is None:
                raise EngineError(f"workflow template {ref!r} not found (setting comfyui_image_template)")
            return service.parse(row)
