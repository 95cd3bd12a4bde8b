"""Procrastinate on the studio's database: the app, the one task that executes runs, and transactional defer."""

from __future__ import annotations

import json

import procrastinate
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.engines.base import TransientEngineError

EXECUTE_RUN = "anime_studio.execute_run"
MAX_TRANSIENT_RETRIES = 10


def build_app(conninfo: str, *, retry_base_seconds: int = 3) -> procrastinate.App:
    """The Procrastinate app on ``conninfo``; transient engine errors retry with exponential backoff."""
    from anime_studio.jobs.executor import execute_run

    retry = procrastinate.RetryStrategy(
        max_attempts=MAX_TRANSIENT_RETRIES,
        wait=retry_base_seconds,
        exponential_wait=2,
        retry_exceptions={TransientEngineError},
    )
    from anime_studio.jobs.gpu.queues import GPU_SUBMIT
    from anime_studio.jobs.gpu.submit import gpu_submit

    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo))
    app.task(name=EXECUTE_RUN, pass_context=True, retry=retry)(execute_run)
    app.task(name=GPU_SUBMIT, pass_context=True)(gpu_submit)
    return app


_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, :lock, NULL, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])) AS id"
)


async def defer_in_transaction(session: AsyncSession, *, run_id: int, queue: str, lock: str | None = None) -> int:
    """Enqueue the execution of ``run_id`` in the caller's transaction: the job exists iff the run commits."""
    job_id = await session.scalar(
        _DEFER, {"queue": queue, "task": EXECUTE_RUN, "lock": lock, "args": json.dumps({"run_id": run_id})}
    )
    assert job_id is not None
    return int(job_id)


async def cancel_in_transaction(session: AsyncSession, *, job_id: int, abort: bool) -> None:
    """Cancel a waiting job, or (``abort``) ask the worker running it to cancel its task."""
    await session.execute(
        text("SELECT procrastinate_cancel_job_v1(:job_id, :abort, false)"), {"job_id": job_id, "abort": abort}
    )
