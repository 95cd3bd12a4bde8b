"""A database outage (the postmaster killed) does not kill the studio: runs finish, shutdown stays bounded."""

from __future__ import annotations

import asyncio
import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest

import tests.jobs.handlers  # noqa: F401  (registers test.resume, which the subprocesses load too)
from anime_studio.db.server import embedded_url
from anime_studio.db.session import Database
from anime_studio.jobs import service
from tests.db.processes import Studio, data_dir, postmasters, wait_until

pytestmark = pytest.mark.xdist_group("embedded-lifecycle")

FAST = {
    "ANIME_STUDIO_EXTRA_TASK_MODULES": "tests.jobs.handlers",
    "ANIME_STUDIO_WORKER_HEARTBEAT_INTERVAL": "0.5",
    "ANIME_STUDIO_WORKER_STALLED_AFTER": "3",
    "ANIME_STUDIO_WORKER_RECOVERY_INTERVAL": "0.5",
    "ANIME_STUDIO_JOB_RETRY_BASE_SECONDS": "0",
}
STEPS = 20


@pytest.fixture
def folder(template: Path) -> Iterator[Path]:
    with data_dir(template) as copy:
        yield copy


def _conninfo(folder: Path) -> str:
    return f"postgresql://postgres@/anime_studio?host={folder / 'pgdata'}"


async def _enqueue_resumable(folder: Path) -> int:
    db = Database.connect(embedded_url(str(folder / "pgdata")), pool_size=1)
    try:
        async with db.transaction() as session:
            run = await service.enqueue(session=session, kind="test.resume", params={"steps": STEPS, "delay": 0.25})
            return run.id
    finally:
        await db.dispose()


def _run_row(folder: Path, run_id: int) -> tuple[str, dict[str, object]] | None:
    """The run's status and result; None while the database cannot be reached."""
    try:
        with psycopg.connect(_conninfo(folder), connect_timeout=2) as conn:
            row = conn.execute("SELECT status::text, result FROM runs WHERE id = %s", (run_id,)).fetchone()
    except psycopg.OperationalError:
        return None
    assert row is not None
    return str(row[0]), dict(row[1])


def _steps_done(folder: Path, run_id: int) -> int:
    row = _run_row(folder, run_id)
    return len(row[1].get("done", [])) if row else 0  # type: ignore[arg-type]


def _kill_postmaster(pgdata: Path) -> None:
    found = postmasters(pgdata)
    assert len(found) == 1, found
    found[0].kill()
    found[0].wait(10)


@contextmanager
def _unstartable(pgdata: Path) -> Iterator[None]:
    """PostgreSQL cannot start on ``pgdata`` meanwhile (the server runs as its own user; we are root)."""
    mode = pgdata.stat().st_mode
    pgdata.chmod(0)
    try:
        yield
    finally:
        pgdata.chmod(mode)


def _log_lines_since(studio: Studio, offset: int) -> list[str]:
    return studio.log_path.read_bytes()[offset:].decode(errors="replace").splitlines()


async def test_a_run_finishes_although_postgres_is_killed_mid_run(folder: Path) -> None:
    serve = Studio(folder, "serve", env=FAST)
    serve.wait_healthy()
    run_id = await _enqueue_resumable(folder)
    wait_until(lambda: _steps_done(folder, run_id) >= 3, 60, "the run to make progress")

    offset = serve.log_path.stat().st_size
    killed_at = time.monotonic()
    _kill_postmaster(serve.pgdata)
    wait_until(lambda: postmasters(serve.pgdata), 60, "the studio to restart PostgreSQL")
    back_after = time.monotonic() - killed_at
    wait_until(lambda: (_run_row(folder, run_id) or ("",))[0] == "succeeded", 90, "the run to finish")
    finished_after = time.monotonic() - killed_at

    status, result = _run_row(folder, run_id) or ("", {})
    assert status == "succeeded"
    assert result["done"] == list(range(STEPS))
    assert serve.healthy()
    lines = _log_lines_since(serve, offset)
    print("\n".join(lines))
    print(
        f"postgres back after {back_after:.1f} s, run finished {finished_after:.1f} s after the kill, "
        f"{len(lines)} log lines"
    )
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert len(lines) < 40, "\n".join(lines)
    serve.stop(signal.SIGTERM)
    assert postmasters(serve.pgdata) == []


async def test_a_separate_worker_waits_out_an_outage(folder: Path) -> None:
    worker = Studio(folder, "worker", env=FAST)
    worker.wait_registered()
    run_id = await _enqueue_resumable(folder)
    wait_until(lambda: _steps_done(folder, run_id) >= 3, 60, "the run to make progress")

    offset = worker.log_path.stat().st_size
    with _unstartable(worker.pgdata):
        _kill_postmaster(worker.pgdata)
        await asyncio.sleep(12)  # longer than a pool timeout: the old worker gave up on its first one
        assert worker.process.poll() is None, worker.log
    wait_until(lambda: (_run_row(folder, run_id) or ("",))[0] == "succeeded", 90, "the run to finish")
    lines = _log_lines_since(worker, offset)
    print(f"{len(lines)} log lines during a 12 s outage and the recovery")
    assert not any("Traceback" in line for line in lines), "\n".join(lines)
    assert len(lines) < 40, "\n".join(lines)
    worker.stop(signal.SIGINT)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_shutdown_during_an_outage_is_bounded(folder: Path, sig: signal.Signals) -> None:
    serve = Studio(folder, "serve", env=FAST)
    serve.wait_healthy()
    run_id = await _enqueue_resumable(folder)
    wait_until(lambda: _steps_done(folder, run_id) >= 2, 60, "the run to make progress")
    offset = serve.log_path.stat().st_size
    with _unstartable(serve.pgdata):
        _kill_postmaster(serve.pgdata)
        await asyncio.sleep(3)
        took = serve.stop(sig, timeout=60)
    print("\n".join(_log_lines_since(serve, offset)))
    print(f"{sig.name} during an outage: exited after {took:.1f} s")
    assert took < 20, serve.log  # worker grace (5 s) + bounded steps; it hung for minutes before
