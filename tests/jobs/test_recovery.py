"""Crash recovery: a worker killed with SIGKILL mid-run leaves no run "running"; work resumes from disk."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import update

from anime_studio.jobs import service
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime
from tests.jobs.conftest import EnqueueFn, wait_for

REPO = Path(__file__).resolve().parents[2]


def _spawn_worker(database_url: str, tmp_path: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ANIME_STUDIO_DATABASE_URL": database_url,
        "ANIME_STUDIO_DATA_DIR": str(tmp_path),
        "ANIME_STUDIO_EXTRA_TASK_MODULES": "tests.jobs.handlers",
        "ANIME_STUDIO_WORKER_HEARTBEAT_INTERVAL": "0.5",
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, "-m", "anime_studio", "worker", "--concurrency", "1", "--log-level", "warning"]
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


async def _wait_steps(runtime: Runtime, run_id: int, steps: int, timeout: float = 30) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while asyncio.get_running_loop().time() < deadline:
        async with runtime.db.sessionmaker() as session:
            run = await service.get(session=session, run_id=run_id)
        if len(run.result.get("done", [])) >= steps:
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the worker subprocess never made progress")


@pytest.mark.xdist_group("subprocess-worker")
async def test_killed_worker_run_is_retried_and_resumes(
    runtime: Runtime, database_url: str, enqueue: EnqueueFn, tmp_path: Path
) -> None:
    run_id = await enqueue("test.resume", steps=8, delay=0.25)
    process = _spawn_worker(database_url, tmp_path)
    try:
        await _wait_steps(runtime, run_id, 3)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    async with runtime.db.sessionmaker() as session:
        interrupted = await service.get(session=session, run_id=run_id)
    assert interrupted.status == RunStatus.running and interrupted.attempts == 1
    done_before = len(interrupted.result["done"])

    runtime.start_worker(concurrency=1)
    try:
        run = await wait_for(runtime, run_id, timeout=30)
    finally:
        await runtime.stop_workers()
    assert run.status == RunStatus.succeeded and run.attempts == 2
    assert run.result["done"] == list(range(8))
    assert all(run.result[f"attempt_of_{s}"] == 1 for s in range(done_before))
    assert all(run.result[f"attempt_of_{s}"] == 2 for s in range(done_before + 1, 8))


@pytest.mark.xdist_group("subprocess-worker")
async def test_killed_worker_run_out_of_attempts_fails_with_reason(
    runtime: Runtime, database_url: str, enqueue: EnqueueFn, tmp_path: Path
) -> None:
    run_id = await enqueue("test.resume", steps=50, delay=0.25)
    async with runtime.db.transaction() as session:
        await session.execute(update(Run).where(Run.id == run_id).values(max_attempts=1))
    process = _spawn_worker(database_url, tmp_path)
    try:
        await _wait_steps(runtime, run_id, 1)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    runtime.start_worker(concurrency=1)
    try:
        run = await wait_for(runtime, run_id, timeout=30)
    finally:
        await runtime.stop_workers()
    assert run.status == RunStatus.failed
    assert run.error == "its worker died (no worker heartbeat for 3 s); gave up after 1 attempts"


async def test_stopping_a_worker_requeues_its_run(runtime: Runtime, enqueue: EnqueueFn) -> None:
    run_id = await enqueue("test.resume", steps=30, delay=0.15)
    runtime.start_worker(concurrency=1)
    await _wait_steps(runtime, run_id, 2)
    await runtime.stop_workers()
    async with runtime.db.sessionmaker() as session:
        stopped = await service.get(session=session, run_id=run_id)
    assert stopped.status == RunStatus.queued and "will resume" in stopped.message
    runtime.start_worker(concurrency=1)
    try:
        run = await wait_for(runtime, run_id, timeout=30)
    finally:
        await runtime.stop_workers()
    assert run.status == RunStatus.succeeded and run.result["done"] == list(range(30))
