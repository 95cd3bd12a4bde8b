"""Index project facts (only those whose text changed are embedded again) and search them by meaning."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.memory import documents
from anime_studio.memory.documents import Document, Ref
from anime_studio.memory.models import MemoryItem
from anime_studio.memory.schemas import Hit, IndexReport
from anime_studio.memory.store import VectorStore

OWNER_COLUMNS = ("character_id", "scene_id", "shot_id", "episode_id", "asset_id")


def engine_key(engine: EmbeddingEngine) -> str:
    """Vectors of different engines (or models) never meet in one search."""
    model = getattr(engine, "model", "")
    return f"{engine.name}:{model}" if model else engine.name


async def index(*, session: AsyncSession, refs: list[Ref], engine: EmbeddingEngine, store: VectorStore) -> int:
    """Bring memory up to date for ``refs``; returns how many facts were embedded."""
    key = engine_key(engine)
    stale: list[tuple[MemoryItem, Document]] = []
    gone: list[Ref] = []
    for ref in dict.fromkeys(refs):
        document = await documents.load(session, ref)
        if document is None or not document.text.strip():
            gone.append(ref)
            continue
        item = await session.scalar(select(MemoryItem).where(MemoryItem.kind == ref[0], MemoryItem.ref_id == ref[1]))
        if item is not None and item.content_hash == document.content_hash and item.engine == key:
            continue
        stale.append(
            (_fill(item or MemoryItem(kind=ref[0], ref_id=ref[1]), document, key, engine.dimensions), document)
        )
    await _forget(session, gone, store)
    if not stale:
        return 0
    vectors = await engine.embed([f"{document.title}\n{document.text}" for _, document in stale])
    for item, _ in stale:
        session.add(item)
    await session.flush()
    await store.put(session, [(item, vector) for (item, _), vector in zip(stale, vectors, strict=True)])
    await session.flush()
    return len(stale)


def _fill(item: MemoryItem, document: Document, key: str, dimensions: int) -> MemoryItem:
    item.project_id = document.project_id
    item.title = document.title[:300]
    item.text = document.text
    item.link = document.link
    item.content_hash = document.content_hash
    item.engine = key
    item.dimensions = dimensions
    for column in OWNER_COLUMNS:
        setattr(item, column, document.owners.get(column))
    return item


async def _forget(session: AsyncSession, refs: list[Ref], store: VectorStore) -> None:
    for kind, ref_id in refs:
        ids = list(
            await session.scalars(
                delete(MemoryItem).where(MemoryItem.kind == kind, MemoryItem.ref_id == ref_id).returning(MemoryItem.id)
            )
        )
        await store.forget(ids)


async def reindex_project(
    *, session: AsyncSession, project_id: int, engine: EmbeddingEngine, store: VectorStore
) -> IndexReport:
    """Index every fact of the project (facts already current cost nothing)."""
    refs = await documents.project_refs(session, project_id)
    embedded = await index(session=session, refs=refs, engine=engine, store=store)
    count = await session.scalar(select(func.count()).where(MemoryItem.project_id == project_id)) or 0
    return IndexReport(
        project_id=project_id,
        items=count,
        embedded=embedded,
        engine=engine_key(engine),
        dimensions=engine.dimensions,
        store=store.name,
    )


async def search(
    *, session: AsyncSession, project_id: int, query: str, engine: EmbeddingEngine, store: VectorStore, limit: int = 6
) -> list[Hit]:
    """The project facts closest in meaning to ``query``; a project never indexed with this engine is indexed first."""
    key = engine_key(engine)
    other = await session.scalar(
        select(func.count()).where(MemoryItem.project_id == project_id, MemoryItem.engine != key)
    )
    mine = await session.scalar(
        select(func.count()).where(MemoryItem.project_id == project_id, MemoryItem.engine == key)
    )
    if other or not mine:
        await reindex_project(session=session, project_id=project_id, engine=engine, store=store)
    (vector,) = await engine.embed([query])
    if not any(vector):
        return []
    found = await store.nearest(session, project_id=project_id, engine=key, vector=vector, limit=limit)
    return [
        Hit(kind=item.kind, id=item.ref_id, title=item.title, link=item.link, text=item.text, score=score)
        for item, score in found
    ]
