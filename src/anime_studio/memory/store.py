"""Where the vectors live: pgvector columns in the studio database (default) or a Qdrant collection.

``memory_items`` is the catalogue either way (text, title, link, owner keys); Qdrant points carry the row's id, so a
fact whose row the database deleted is dropped from results (and from Qdrant) at search time.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.config import Settings
from anime_studio.memory.models import MemoryItem


class VectorStore(Protocol):
    name: str

    async def put(self, session: AsyncSession, items: list[tuple[MemoryItem, list[float]]]) -> None:
        """Store the vectors of flushed catalogue rows."""
        ...

    async def forget(self, ids: list[int]) -> None:
        """Drop vectors of catalogue rows that are being deleted."""
        ...

    async def nearest(
        self, session: AsyncSession, *, project_id: int, engine: str, vector: list[float], limit: int
    ) -> list[tuple[MemoryItem, float]]:
        """The ``limit`` rows closest to ``vector`` (cosine similarity, best first)."""
        ...


class PgVectorStore:
    name = "pgvector"

    async def put(self, session: AsyncSession, items: list[tuple[MemoryItem, list[float]]]) -> None:
        for item, vector in items:
            item.embedding = vector

    async def forget(self, ids: list[int]) -> None:
        return None  # the vector goes with its row

    async def nearest(
        self, session: AsyncSession, *, project_id: int, engine: str, vector: list[float], limit: int
    ) -> list[tuple[MemoryItem, float]]:
        distance = MemoryItem.embedding.cosine_distance(vector)
        query = (
            select(MemoryItem, distance)
            .where(
                MemoryItem.project_id == project_id,
                MemoryItem.engine == engine,
                MemoryItem.dimensions == len(vector),
                MemoryItem.embedding.is_not(None),
            )
            .order_by(distance, MemoryItem.id)
            .limit(limit)
        )
        return [(item, 1.0 - float(d)) for item, d in (await session.execute(query)).all()]


class QdrantStore:
    """One collection per vector size; payload ``project_id`` and ``engine`` filter the search."""

    name = "qdrant"

    def __init__(self, *, url: str = "", api_key: str = "", path: Path | None = None) -> None:
        from qdrant_client import AsyncQdrantClient

        if url:
            self.client = AsyncQdrantClient(url=url, api_key=api_key or None)
        else:
            location: dict[str, Any] = {"path": str(path)} if path else {"location": ":memory:"}
            self.client = AsyncQdrantClient(**location)
        self._collections: set[str] = set()
        self._lock = asyncio.Lock()

    async def _collection(self, size: int) -> str:
        from qdrant_client import models

        name = f"anime_studio_memory_{size}"
        async with self._lock:
            if name not in self._collections:
                if not await self.client.collection_exists(name):
                    config = models.VectorParams(size=size, distance=models.Distance.COSINE)
                    await self.client.create_collection(name, vectors_config=config)
                self._collections.add(name)
        return name

    async def put(self, session: AsyncSession, items: list[tuple[MemoryItem, list[float]]]) -> None:
        from qdrant_client import models

        by_size: dict[int, list[models.PointStruct]] = {}
        for item, vector in items:
            item.embedding = None
            payload = {"project_id": item.project_id, "engine": item.engine}
            by_size.setdefault(len(vector), []).append(models.PointStruct(id=item.id, vector=vector, payload=payload))
        for size, points in by_size.items():
            await self.client.upsert(await self._collection(size), points=points)

    async def forget(self, ids: list[int]) -> None:
        from qdrant_client import models

        if not ids:
            return
        for name in (c.name for c in (await self.client.get_collections()).collections):
            if name.startswith("anime_studio_memory_"):
                await self.client.delete(name, points_selector=models.PointIdsList(points=list(ids)))

    async def nearest(
        self, session: AsyncSession, *, project_id: int, engine: str, vector: list[float], limit: int
    ) -> list[tuple[MemoryItem, float]]:
        from qdrant_client import models

        conditions: list[models.Condition] = [
            models.FieldCondition(key="project_id", match=models.MatchValue(value=project_id)),
            models.FieldCondition(key="engine", match=models.MatchValue(value=engine)),
        ]
        found = await self.client.query_points(
            await self._collection(len(vector)), query=vector, query_filter=models.Filter(must=conditions), limit=limit
        )
        scores = {int(point.id): float(point.score) for point in found.points}
        rows = {row.id: row for row in await session.scalars(select(MemoryItem).where(MemoryItem.id.in_(scores)))}
        await self.forget([i for i in scores if i not in rows])
        return [(rows[i], scores[i]) for i in scores if i in rows]

    async def close(self) -> None:
        await self.client.close()


def build_store(settings: Settings) -> VectorStore:
    """The store the settings select."""
    if settings.memory_store == "qdrant":
        path = None if settings.qdrant_url else settings.data_dir / "qdrant"
        return QdrantStore(url=settings.qdrant_url, api_key=settings.qdrant_api_key, path=path)
    return PgVectorStore()
