"""Max-concurrent holds across workers: the guard lives in the database, not in a process."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlalchemy import select

from anime_studio.autonomy import service
from anime_studio.characters.models import Character
from anime_studio.engines.image.base import ImageEngine, ImageRequest, ImageResult
from anime_studio.jobs.models import Run
from anime_studio.runtime import Runtime
from tests.autonomy.helpers import APPROVE_ALL, LOOP, SMALL_STYLE, batch_sizes, configure, human_character, settled
from tests.factories import API, Studio, create_project


class SlowImages:
    """The embedded engine, taking longer per image, so that batches overlap."""

    def __init__(self, inner: ImageEngine, delay: float) -> None:
        self.inner, self.delay = inner, delay

    async def generate(self, request: ImageRequest) -> ImageResult:
        await asyncio.sleep(self.delay)
        return await self.inner.generate(request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


async def _cast(studio: Studio, count: int) -> list[dict[str, Any]]:
    project = await create_project(studio.editor, name="Crowd")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    return [await human_character(studio, f"Extra {i}", project) for i in range(count)]


async def test_two_workers_never_run_more_batches_than_max_concurrent(
    runtime: Runtime, studio: Studio, worker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime.start_worker(concurrency=4)  # a second worker instance on the same database
    monkeypatch.setattr(runtime.engines, "image", SlowImages(runtime.engines.image, 0.4))
    cast = await _cast(studio, 3)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0, pending_buffer=100, max_concurrent=2)
    for member in cast:
        params = {"target": 3, "character_slug": member["slug"]}
        assert (await studio.editor.post(f"{LOOP}/target", params=params)).status_code == 200
    assert (await studio.editor.post(f"{LOOP}/toggle", params={"enabled": True})).status_code == 200
    peak = 0
    deadline = asyncio.get_running_loop().time() + 60
    while asyncio.get_running_loop().time() < deadline:
        status = (await studio.reviewer.get(f"{LOOP}/status")).json()
        peak = max(peak, len(status["active_tasks"]))
        if not status["active_tasks"] and all(c["generated_today"] == 3 for c in status["characters"]):
            break
        await asyncio.sleep(0.05)
    await settled(runtime)
    assert peak == 2
    assert [await batch_sizes(runtime, m["id"]) for m in cast] == [[3], [3], [3]]
    async with runtime.db.sessionmaker() as session:
        runs = list((await session.scalars(select(Run).where(Run.kind.like("replenish.%")))).all())
    reasons = {str(run.result.get("reason")) for run in runs if run.kind == "replenish.check"}
    assert "2 batches running (max concurrent)" in reasons


async def test_concurrent_checks_start_no_more_than_max_concurrent_batches(runtime: Runtime, studio: Studio) -> None:
    cast = await _cast(studio, 6)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0, max_concurrent=2)
    async with runtime.db.transaction() as session:
        await service.update_settings(session=session, values={"enabled": True})
        for member in cast:
            await service.enrol(session=session, character_id=member["id"], active=True)

    async def check(character_id: int) -> int:
        async with runtime.db.transaction() as session:
            character = await session.get(Character, character_id)
            assert character is not None
            return (await service.check(session=session, character=character, target=10)).size

    sizes = await asyncio.gather(*(check(m["id"]) for m in cast))
    assert sorted(sizes) == [0, 0, 0, 0, 3, 3]
    async with runtime.db.sessionmaker() as session:
        assert len(await service.active_batches(session=session)) == 2
