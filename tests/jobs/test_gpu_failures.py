"""Failures through the GPU queues reach the run's error and ``/gpu/status`` in their own words, fast."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from anime_studio.deps import get_engines
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.registry import comfyui_pool
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import SD15, ComfyFactory
from tests.factories import API, Studio
from tests.jobs.test_gpu_queues import _gpu_runtime, _start_runs
from tests.runs import wait_for

CUDA_WORDS = "CUDA out of memory. Tried to allocate 2.00 GiB"


@pytest.fixture
def serve_with(app: Any) -> Iterator[Callable[[Runtime], None]]:
    """Point the API at a runtime configured with ComfyUI backends (settings and engines)."""
    original = app.state.settings

    def use(rt: Runtime) -> None:
        app.state.settings = rt.settings
        app.dependency_overrides[get_engines] = lambda: rt.engines

    yield use
    app.state.settings = original
    app.dependency_overrides.pop(get_engines, None)


async def test_out_of_memory_ends_the_run_with_its_own_words(
    runtime: Runtime, comfy_factory: ComfyFactory, tmp_path: Path, studio: Studio, serve_with: Callable[[Runtime], None]
) -> None:
    comfy = comfy_factory()
    comfy.fake.oom_above(0)  # up, but every prompt runs out of memory
    rt = _gpu_runtime(runtime, [comfy.url])
    serve_with(rt)
    rt.start_worker(concurrency=4)
    try:
        [run_id] = await _start_runs(rt, 1, tmp_path)
        run = await wait_for(rt, run_id, timeout=60)
    finally:
        await rt.stop_workers()
    assert run.status.value == "failed" and run.attempts == 1  # not retried as is by the run either
    assert run.error is not None and run.error.startswith(f"out of memory: ComfyUI at {comfy.url} ran out of GPU")
    assert CUDA_WORDS in run.error and "retried at" in run.error and "reachable" not in run.error
    async with rt.db.sessionmaker() as session:
        rows = (await session.scalars(select(GpuRender).order_by(GpuRender.id))).all()
    assert len(rows) == 3 and [r.workflow["4"]["inputs"]["width"] for r in rows] == [64, 48, 32]
    started = time.monotonic()
    status = (await studio.reviewer.get(f"{API}/gpu/status")).json()
    assert time.monotonic() - started < 2.0
    [backend] = status["backends"]
    assert backend["reachable"] is True and backend["last_failure"] == "out_of_memory"
    assert CUDA_WORDS in backend["last_error"]


async def test_a_missing_model_found_by_the_queue_job_reaches_the_run(
    runtime: Runtime, comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    comfy = comfy_factory()
    rt = _gpu_runtime(runtime, [comfy.url])
    await rt.engines.image.models()  # the listing is cached with the model still there
    comfy.fake.uninstall("checkpoints", SD15)
    rt.start_worker(concurrency=4)
    try:
        [run_id] = await _start_runs(rt, 1, tmp_path)
        run = await wait_for(rt, run_id, timeout=60)
    finally:
        await rt.stop_workers()
    assert run.status.value == "failed" and run.attempts == 1
    assert run.error == (
        f"missing model: ComfyUI at {comfy.url} lacks the model file(s) '{SD15}' "
        "(models/checkpoints, node 1 CheckpointLoaderSimple.ckpt_name)"
    )
    async with rt.db.sessionmaker() as session:
        [row] = (await session.scalars(select(GpuRender))).all()
    assert (row.status, row.failure, row.transient) == ("failed", "missing_model", False)
    pool: ComfyPool = comfyui_pool(rt.settings)
    assert pool.status()[0].last_failure == "missing_model" and SD15 in pool.status()[0].last_error


async def test_gpu_status_and_engines_answer_fast_while_a_backend_hangs(
    runtime: Runtime, comfy_factory: ComfyFactory, studio: Studio, serve_with: Callable[[Runtime], None]
) -> None:
    hung, healthy = comfy_factory(), comfy_factory()
    rt = _gpu_runtime(runtime, [hung.url, healthy.url])
    serve_with(rt)
    hung.fake.freeze()
    try:
        started = time.monotonic()
        status = (await studio.reviewer.get(f"{API}/gpu/status")).json()
        gpu_seconds = time.monotonic() - started
        started = time.monotonic()
        engines = (await studio.reviewer.get(f"{API}/engines")).json()["engines"]
        engines_seconds = time.monotonic() - started
    finally:
        hung.fake.thaw()
    assert gpu_seconds < 2.0 and engines_seconds < 2.0, (gpu_seconds, engines_seconds)
    first, second = status["backends"]
    assert first["reachable"] is False and first["last_failure"] == "timed_out"
    assert "no answer to the status probe" in first["last_error"] and first["checked_age"] is None  # never answered
    assert second["reachable"] is True and second["last_error"] == ""
    image = next(e for e in engines if e["kind"] == "image")
    assert image["reachable"] is True and image["detail"] == "1/2 ComfyUI backends reachable"
