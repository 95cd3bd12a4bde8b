"""Job-system fixtures: the test run kinds and an in-process worker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

import tests.jobs.handlers  # noqa: F401  (registers the test run kinds)
from anime_studio.jobs import service
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime


@pytest.fixture
async def worker(runtime: Runtime) -> AsyncIterator[asyncio.Task[None]]:
    task = runtime.start_worker(concurrency=4)
    await asyncio.sleep(0.2)
    yield task
    await runtime.stop_workers()


EnqueueFn = Callable[..., Any]


@pytest.fixture
def enqueue(runtime: Runtime) -> EnqueueFn:
    async def make(kind: str, **params: Any) -> int:
        async with runtime.db.transaction() as session:
            run = await service.enqueue(session=session, kind=kind, params=params)
            return run.id

    return make


async def wait_for(runtime: Runtime, run_id: int, *statuses: RunStatus, timeout: float = 15) -> Run:
    """Poll the run row until it reaches one of ``statuses``."""
    wanted = statuses or (RunStatus.succeeded, RunStatus.failed, RunStatus.cancelled)
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with runtime.db.sessionmaker() as session:
            run = await service.get(session=session, run_id=run_id)
        if run.status in wanted:
            return run
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"run {run_id} stuck in {run.status} ({run.message})")
        await asyncio.sleep(0.05)
