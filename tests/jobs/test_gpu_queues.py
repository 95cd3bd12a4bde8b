"""GPU scheduling: one durable queue per ComfyUI backend, one prompt running + one queued, fail-over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from anime_studio.jobs import service
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.jobs.gpu.queues import gpu_queues, queue_name
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import SD15, ComfyFactory
from tests.factories import API, Studio
from tests.runs import wait_for


def _gpu_runtime(base: Runtime, urls: list[str]) -> Runtime:
    """The same process runtime, configured for ComfyUI backends through the GPU queues."""
    settings = base.settings.model_copy(
        update={
            "comfyui_urls": urls,
            "image_engine": "comfyui",
            "comfyui_scheduler": "queue",
            "comfyui_poll_interval": 0.2,
        }
    )
    return Runtime(settings=settings, db=base.db, bus=base.bus, queue_app=base.queue_app, paths=base.paths)


async def _start_runs(rt: Runtime, count: int, folder: Path) -> list[int]:
    ids = []
    async with rt.db.transaction() as session:
        for n in range(count):
            params = {"seed": n, "checkpoint": SD15, "output": str(folder / f"img{n}.png")}
            ids.append((await service.enqueue(session=session, kind="test.render", params=params)).id)
    return ids


async def test_each_backend_has_its_own_queue_and_never_more_than_one_waiting(
    runtime: Runtime, comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    backends = [comfy_factory(duration=0.4), comfy_factory(duration=0.4)]
    rt = _gpu_runtime(runtime, [b.url for b in backends])
    assert gpu_queues(rt.settings) == [queue_name(b.url) for b in backends]
    rt.start_worker(concurrency=8)
    try:
        runs = await _start_runs(rt, 8, tmp_path)
        finished = [await wait_for(rt, r, timeout=60) for r in runs]
    finally:
        await rt.stop_workers()
    assert [r.status.value for r in finished] == ["succeeded"] * 8, [r.error for r in finished]
    assert {r.result["backend"] for r in finished} == {b.url for b in backends}
    for backend in backends:
        assert backend.fake.max_running <= 1 and backend.fake.max_pending <= 1
    async with rt.db.sessionmaker() as session:
        rows = (await session.scalars(select(GpuRender))).all()
    assert len(rows) == 8 and {r.status for r in rows} == {"done"}
    assert {r.queue for r in rows} == {queue_name(b.url) for b in backends}
    assert all(r.prompt_id and r.submitted_at and r.started_at for r in rows)


async def test_a_dying_backend_loses_no_work(runtime: Runtime, comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    backends = [comfy_factory(duration=0.3) for _ in range(3)]
    rt = _gpu_runtime(runtime, [b.url for b in backends])
    rt.start_worker(concurrency=9)
    try:
        runs = await _start_runs(rt, 9, tmp_path)
        await asyncio.sleep(0.5)
        await asyncio.to_thread(backends[-1].server.stop)
        finished = [await wait_for(rt, r, timeout=90) for r in runs]
    finally:
        await rt.stop_workers()
    assert [r.status.value for r in finished] == ["succeeded"] * 9, [r.error for r in finished]
    assert all(Path(r.result["path"]).is_file() for r in finished)


async def test_gpu_status_without_backends(studio: Studio) -> None:
    status = (await studio.reviewer.get(f"{API}/gpu/status")).json()
    assert status["scheduler"] == "none" and status["backends"] == [] and "embedded" in status["note"]
