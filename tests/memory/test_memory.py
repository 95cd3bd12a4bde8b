"""Project memory: indexed as the project changes, forgotten with its rows, the same through pgvector and Qdrant."""

from __future__ import annotations

import time

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import delete, select

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.db.models import metadata
from anime_studio.db.session import Database
from anime_studio.engines.embeddings.wordllama import WordLlamaEmbeddings
from anime_studio.memory import service
from anime_studio.memory.models import MemoryItem
from anime_studio.memory.store import PgVectorStore, QdrantStore
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project

FACT = "Hana is terrified of thunderstorms since the lighthouse fire"


async def memory_text(db: Database, kind: str, ref_id: int) -> str:
    async with db.transaction() as session:
        item = await session.scalar(select(MemoryItem).where(MemoryItem.kind == kind, MemoryItem.ref_id == ref_id))
        return item.text if item is not None else ""


async def test_an_edit_is_retrievable_within_one_second(studio: Studio, db: Database, runtime: Runtime) -> None:
    project = await create_project(studio.editor)
    hana = await create_character(studio.editor, project["id"])
    await create_character(studio.editor, project["id"], name="Ren", design_prompt="1boy, silver hair, lab coat")
    edited = await studio.editor.patch(f"{API}/characters/{hana['id']}", json={"description": FACT})
    assert edited.status_code == 200
    started = time.perf_counter()
    # Read the table, not search(): search() would index a never-indexed project itself and hide a missing hook.
    while FACT not in await memory_text(db, "character", hana["id"]):
        assert time.perf_counter() - started < 1.0, "the edit did not reach memory within one second"
        await runtime.memory.settled(1.0) if runtime.memory else None
    async with db.transaction() as session:
        hits = await service.search(
            session=session,
            project_id=project["id"],
            query="who is afraid of storms?",
            engine=runtime.engines.embeddings,
            store=PgVectorStore(),
        )
    print(f"edit → retrievable: {time.perf_counter() - started:.3f} s")
    assert (hits[0].kind, hits[0].id) == ("character", hana["id"])
    assert hits[0].link == {
        "kind": "character",
        "id": hana["id"],
        "route": "characters",
        "params": {"characterId": hana["id"]},
    }


async def test_deleting_a_scene_forgets_it_and_its_shots(studio: Studio, db: Database, runtime: Runtime) -> None:
    project = await create_project(studio.editor)
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Harbour"})).json()
    shot = await studio.editor.post(
        f"{API}/scenes/{scene['id']}/shots",
        json={"motion_prompt": "gulls circle the mast", "dialogue_text": "Hold on!"},
    )
    assert shot.status_code == 201, shot.text
    assert runtime.memory is not None
    await runtime.memory.settled()
    assert "gulls circle the mast" in await memory_text(db, "shot", shot.json()["id"])
    assert (await studio.editor.delete(f"{API}/scenes/{scene['id']}")).status_code == 204
    await runtime.memory.settled()
    assert await memory_text(db, "scene", scene["id"]) == ""
    assert await memory_text(db, "shot", shot.json()["id"]) == ""


async def test_qdrant_store_answers_like_pgvector(studio: Studio, db: Database, runtime: Runtime) -> None:
    project = await create_project(studio.editor, premise="A courier guild delivers letters across flooded Venice")
    ren = await create_character(studio.editor, project["id"], name="Ren", description="the guild's cartographer")
    await create_character(studio.editor, project["id"], name="Mio", description="a gondolier who sings at dawn")
    assert runtime.memory is not None
    await runtime.memory.settled()
    engine = WordLlamaEmbeddings()
    query = "which character is the cartographer?"
    async with db.transaction() as session:
        by_pg = await service.search(
            session=session, project_id=project["id"], query=query, engine=engine, store=PgVectorStore()
        )
    qdrant = QdrantStore()
    try:
        async with db.transaction() as session:
            await session.execute(delete(MemoryItem))  # what the process's pgvector indexer wrote
            report = await service.reindex_project(
                session=session, project_id=project["id"], engine=engine, store=qdrant
            )
            assert (report.items, report.store) == (3, "qdrant")  # the project and two characters
            assert all(row.embedding is None for row in await session.scalars(select(MemoryItem)))  # Qdrant has them
            by_qdrant = await service.search(
                session=session, project_id=project["id"], query=query, engine=engine, store=qdrant
            )
    finally:
        await qdrant.close()
    assert (by_qdrant[0].kind, by_qdrant[0].id) == ("character", ren["id"])
    assert [(h.kind, h.id) for h in by_qdrant] == [(h.kind, h.id) for h in by_pg]
    assert [h.score for h in by_qdrant] == pytest.approx([h.score for h in by_pg], abs=1e-4)


async def test_the_migration_matches_the_memory_and_echo_models(db: Database) -> None:
    async with db.engine.connect() as conn:
        found = await conn.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), metadata))
    mine = ("memory_items", "echo_conversations", "echo_messages", "echo_actions")
    assert [d for d in found if any(t in str(d) for t in mine)] == []


async def test_a_review_decision_with_feedback_is_remembered(studio: Studio, db: Database, runtime: Runtime) -> None:
    project = await create_project(studio.editor)
    hana = await create_character(studio.editor, project["id"])
    async with db.transaction() as session:
        asset = Asset(
            project_id=project["id"],
            character_id=hana["id"],
            kind=AssetKind.image,
            status=AssetStatus.pending,
            path="datasets/test/hana/images/0001.png",
            mime="image/png",
        )
        session.add(asset)
        await session.flush()
        asset_id = asset.id
    rejected = await studio.reviewer.post(
        f"{API}/approval/approve",
        json={"asset_ids": [asset_id], "approved": False, "feedback": "her scarf keeps turning blue"},
    )
    assert rejected.status_code == 200, rejected.text
    assert runtime.memory is not None
    await runtime.memory.settled()
    text = await memory_text(db, "review", asset_id)
    assert "rejected" in text and "her scarf keeps turning blue" in text
