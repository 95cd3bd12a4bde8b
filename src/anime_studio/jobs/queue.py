"""Procrastinate on the studio's database, at the SQL level: the task names and transactional defer/cancel."""

from __future__ import annotations

import json

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

EXECUTE_RUN = "anime_studio.execute_run"


_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, :lock, NULL, "
    "CAST(:args AS jsonb), CASE WHEN CAST(:delay AS float) IS NULL THEN NULL "
    "ELSE now() + make_interval(secs => CAST(:delay AS float)) END)::procrastinate_job_to_defer_v1])) AS id"
)


async def defer_in_transaction(
    session: AsyncSession, *, run_id: int, queue: str, lock: str | None = None, delay: float | None = None
) -> int:
    """Enqueue the execution of ``run_id`` in the caller's transaction: the job exists iff the run commits.

    ``delay``: no worker picks the job up before that many seconds have passed."""
    job_id = await session.scalar(
        _DEFER,
        {"queue": queue, "task": EXECUTE_RUN, "lock": lock, "args": json.dumps({"run_id": run_id}), "delay": delay},
    )
    assert job_id is not None
    return int(job_id)


async def cancel_in_transaction(session: AsyncSession, *, job_id: int, abort: bool) -> None:
    """Cancel a waiting job, or (``abort``) ask the worker running it to cancel its task."""
    await session.execute(
        text("SELECT procrastinate_cancel_job_v1(:job_id, :abort, false)"), {"job_id": job_id, "abort": abort}
    )
