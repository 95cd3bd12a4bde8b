"""Waiting for runs in tests."""

from __future__ import annotations

import asyncio

from anime_studio.jobs import service
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime


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
