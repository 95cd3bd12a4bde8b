"""Crash recovery: no run stays "running" after its worker died; it is retried or failed with a reason."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import procrastinate
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.db.session import Database
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs import transitions
from anime_studio.jobs.gpu.queues import GPU_SUBMIT
from anime_studio.jobs.gpu.store import mark
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.jobs.queue import EXECUTE_RUN, defer_in_transaction

log = logging.getLogger(__name__)


async def recover_stalled(app: procrastinate.App, db: Database, *, stalled_after: float) -> int:
    """Requeue (or fail, when out of attempts) the runs of jobs whose worker stopped sending heartbeats."""
    stalled = await app.job_manager.get_stalled_jobs(seconds_since_heartbeat=stalled_after)
    recovered = 0
    for job in stalled:
        if job.id is None or job.task_name not in (EXECUTE_RUN, GPU_SUBMIT):
            continue
        await app.job_manager.finish_job_by_id_async(job.id, status=procrastinate.jobs.Status.FAILED, delete_job=False)
        if job.task_name == GPU_SUBMIT:  # frees the backend's queue; the waiting run retries the prompt
            error = f"the worker submitting it died (no heartbeat for {stalled_after:.0f} s)"
            await mark(db, int(str(job.task_kwargs["render_id"])), "failed", error=error, transient=True)
            continue
        run_id = job.task_kwargs["run_id"]
        assert isinstance(run_id, int)
        await _recover_run(db, run_id=run_id, reason=f"no worker heartbeat for {stalled_after:.0f} s")
        recovered += 1
    recovered += await reconcile_orphans(db)
    return recovered


async def _recover_run(db: Database, *, run_id: int, reason: str) -> None:
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is None or run.status.finished:
            return
        if run.cancel_requested:
            _fail(session, run, RunStatus.cancelled, f"cancelled (its worker was lost: {reason})")
        elif run.attempts >= run.max_attempts:
            _fail(session, run, RunStatus.failed, f"its worker died ({reason}); gave up after {run.attempts} attempts")
        else:
            run.status, run.message = RunStatus.queued, f"its worker died ({reason}); retrying"
            run.job_id = await defer_in_transaction(session, run_id=run.id, queue=run.queue)
            emit(session, names.RUN_PROGRESS, transitions.event_data(run))
        log.warning("recovered run %s: %s", run.id, run.message)


def _fail(session: AsyncSession, run: Run, status: RunStatus, error: str) -> None:
    run.status, run.error, run.message, run.finished_at = status, error, error, datetime.now(UTC)
    emit(session, names.RUN_FINISHED, transitions.event_data(run, error=error))


async def reconcile_orphans(db: Database) -> int:
    """Runs whose job is gone or already finished (crash between the two writes) are requeued or failed."""
    fixed = 0
    async with db.transaction() as session:
        active = list(
            (
                await session.scalars(
                    select(Run).where(Run.status.in_([RunStatus.queued, RunStatus.running])).with_for_update()
                )
            ).all()
        )
        states = await transitions.job_states(session, [r.job_id for r in active if r.job_id is not None])
        for run in active:
            state = states.get(run.job_id) if run.job_id is not None else None
            if state in ("todo", "doing", "aborting"):
                continue
            if run.attempts >= run.max_attempts:
                _fail(session, run, RunStatus.failed, f"its job ended unexpectedly ({state or 'missing'})")
            else:
                run.status, run.message = RunStatus.queued, "requeued after an interrupted execution"
                run.job_id = await defer_in_transaction(session, run_id=run.id, queue=run.queue)
            fixed += 1
    return fixed
