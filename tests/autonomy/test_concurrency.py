"""Max-concurrent holds across workers: the guard lives in the database, not in a process."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from anime_studio.autonomy import service
from anime_studio.characters.models import Character
from anime_studio.jobs.models import Run
from anime_studio.runtime import Runtime
from tests.autonomy.helpers import APPROVE_ALL, LOOP, SMALL_STYLE, batch_sizes, configure, human_character, settled
from tests.autonomy.slow_engines import SlowImages
from tests.factories import API, Studio, create_project

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def worker_process(database_url: str, media_root: Path, folder: Path) -> Iterator[subprocess.Popen[bytes]]:
    """``anime-studio worker`` in its own process on the same database and media root (slowed images)."""
    env = {
        **os.environ,
        "ANIME_STUDIO_DATABASE_URL": database_url,
        "ANIME_STUDIO_DATA_DIR": str(folder),
        "ANIME_STUDIO_MEDIA_ROOT": str(media_root),
        "ANIME_STUDIO_EXTRA_TASK_MODULES": "tests.autonomy.slow_engines",
        "ANIME_STUDIO_TEST_IMAGE_DELAY": "0.4",
        "PYTHONPATH": str(REPO),
    }
    log = folder / "worker.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "anime_studio", "worker", "--queues", "studio", "--concurrency", "4"],
            env=env, cwd=REPO, stdout=out, stderr=out,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while "worker running" not in log.read_text(errors="replace"):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")
            time.sleep(0.1)
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


async def _cast(studio: Studio, count: int) -> list[dict[str, Any]]:
    project = await create_project(studio.editor, name="Crowd")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    return [await human_character(studio, f"Extra {i}", project) for i in range(count)]


async def test_two_worker_processes_never_run_more_batches_than_max_concurrent(
    runtime: Runtime,
    studio: Studio,
    worker: object,
    monkeypatch: pytest.MonkeyPatch,
    database_url: str,
    media_root: Path,
    tmp_path: Path,
) -> None:
    monkeypatch.setattr(runtime.engines, "image", SlowImages(runtime.engines.image, 0.4))
    with worker_process(database_url, media_root, tmp_path):
        await _fill_three(runtime, studio)


async def _fill_three(runtime: Runtime, studio: Studio) -> None:
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
    assert len({run.worker for run in runs}) == 2, "both processes took runs"


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
