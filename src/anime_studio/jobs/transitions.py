"""Run state transitions made by workers and recovery, each in its own short transaction.

The bottom of the run record layer: it knows the ``runs`` table, the queue's SQL and the event outbox,
never the run kinds, the executor or the process runtime.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.db.outage import survives_outage
from anime_studio.db.session import Database
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.jobs.queue import defer_in_transaction

log = logging.getLogger(__name__)


def now() -> datetime:
    return datetime.now(UTC)


def event_data(run: Run, **extra: Any) -> dict[str, Any]:
    """The payload of every ``run.*`` event (small: NOTIFY payloads are limited)."""
    return {
        "run_id": run.id,
        "kind": run.kind,
        "label": run.label,
        "status": run.status.value,
        "progress": round(run.progress, 4),
        "message": run.message[:300],
        "project_id": run.project_id,
        "subject_type": run.subject_type,
        "subject_id": run.subject_id,
        **extra,
    }


@survives_outage(log)
async def claim(db: Database, *, run_id: int, worker: str, job_id: int | None) -> Run | None:
    """Mark the run running (attempt + 1); None if it is finished or was cancelled meanwhile."""
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is None or run.status.finished:
            return None
        if run.cancel_requested:
            _close(run, RunStatus.cancelled, "cancelled")
            emit(session, names.RUN_FINISHED, event_data(run))
            return None
        run.status, run.worker, run.job_id, run.error = RunStatus.running, worker, job_id, None
        run.attempts += 1
        run.started_at = run.started_at or now()
        run.message = "started" if run.attempts == 1 else f"attempt {run.attempts}"
        emit(session, names.RUN_STARTED, event_data(run))
        return run


async def report_progress(db: Database, *, run_id: int, progress: float, message: str) -> None:
    async with db.transaction() as session:
        run = await session.get(Run, run_id)
        if run is None or run.status != RunStatus.running:
            return
        run.progress, run.message = progress, message or run.message
        emit(session, names.RUN_PROGRESS, event_data(run))


@survives_outage(log)
async def merge_result(db: Database, *, run_id: int, values: dict[str, Any]) -> None:
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is not None:
            run.result = {**run.result, **values}


@survives_outage(log)
async def finish(
    db: Database,
    *,
    run_id: int,
    status: RunStatus,
    error: str | None = None,
    result: dict[str, Any] | None = None,
) -> None:
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is None or run.status.finished:
            return
        _close(run, status, error)
        if result:
            run.result = {**run.result, **result}
        emit(session, names.RUN_FINISHED, event_data(run, error=error))


def _close(run: Run, status: RunStatus, error: str | None) -> None:
    run.status, run.finished_at = status, now()
    run.error = error if status != RunStatus.succeeded else None
    if status == RunStatus.succeeded:
        run.progress, run.message = 1.0, "done"
    else:
        run.message = (error or status.value)[:500]


@survives_outage(log)
async def mark_retrying(db: Database, *, run_id: int, message: str) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(Run).where(Run.id == run_id).values(status=RunStatus.queued, message=message[:500])
        )
        run = await session.get(Run, run_id)
        if run is not None:
            emit(session, names.RUN_PROGRESS, event_data(run))


@survives_outage(log)
async def requeue(db: Database, *, run_id: int, message: str) -> None:
    """Put an interrupted run back in the queue with a fresh job (its handler resumes from disk)."""
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is None or run.status.finished:
            return
        run.status, run.message = RunStatus.queued, message
        run.job_id = await defer_in_transaction(session, run_id=run.id, queue=run.queue)
        emit(session, names.RUN_PROGRESS, event_data(run))


@survives_outage(log)
async def cancel_was_requested(db: Database, run_id: int) -> bool:
    async with db.sessionmaker() as session:
        return bool(await session.scalar(select(Run.cancel_requested).where(Run.id == run_id)))


async def job_states(session: AsyncSession, job_ids: list[int]) -> dict[int, str]:
    """Procrastinate's status of each job id (``todo``, ``doing``, ``succeeded`` …)."""
    if not job_ids:
        return {}
    rows = await session.execute(
        text("SELECT id, status::text FROM procrastinate_jobs WHERE id = ANY(:ids)"), {"ids": job_ids}
    )
    return {int(i): str(s) for i, s in rows.all()}
