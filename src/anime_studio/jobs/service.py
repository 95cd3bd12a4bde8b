"""Run records: enqueue (atomically with the job), state transitions, cancel, retry, listing."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.common.pagination import paginate
from anime_studio.db.session import Database
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.handlers import get_kind
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.jobs.queue import cancel_in_transaction, defer_in_transaction


def _now() -> datetime:
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


async def enqueue(
    *,
    session: AsyncSession,
    kind: str,
    params: dict[str, Any] | None = None,
    project_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
    user_id: int | None = None,
    label: str = "",
    message: str = "waiting for a worker",
) -> Run:
    """Record a run and enqueue its execution in the same transaction."""
    spec = get_kind(kind)
    if spec is None:
        raise Invalid(f"unknown run kind {kind!r}")
    run = Run(
        kind=kind,
        label=label[:200] or spec.description[:200],
        params=params or {},
        project_id=project_id,
        subject_type=subject_type,
        subject_id=subject_id,
        created_by=user_id,
        max_attempts=spec.max_attempts,
        queue=spec.queue,
        status=RunStatus.queued,
        message=message,
    )
    session.add(run)
    await session.flush()
    run.job_id = await defer_in_transaction(session, run_id=run.id, queue=spec.queue)
    emit(session, names.RUN_QUEUED, event_data(run))
    return run


async def get(*, session: AsyncSession, run_id: int) -> Run:
    run = await session.get(Run, run_id)
    if run is None:
        raise NotFound(f"job {run_id} not found")
    return run


async def list_runs(
    *,
    session: AsyncSession,
    limit: int,
    offset: int,
    status: list[RunStatus] | None = None,
    kind: str | None = None,
    project_id: int | None = None,
    subject_type: str | None = None,
    subject_id: int | None = None,
) -> tuple[list[Run], int]:
    """Runs, newest first, filtered."""
    query = select(Run).order_by(Run.created_at.desc(), Run.id.desc())
    if status:
        query = query.where(Run.status.in_(status))
    if kind:
        query = query.where(Run.kind == kind)
    if project_id is not None:
        query = query.where(Run.project_id == project_id)
    if subject_type:
        query = query.where(Run.subject_type == subject_type)
    if subject_id is not None:
        query = query.where(Run.subject_id == subject_id)
    return await paginate(session, query, limit=limit, offset=offset)


async def find_active(*, session: AsyncSession, kind: str, subject_type: str, subject_id: int) -> Run | None:
    """The queued or running run of ``kind`` on a subject, if any (to refuse double starts)."""
    return await session.scalar(
        select(Run).where(
            Run.kind == kind,
            Run.subject_type == subject_type,
            Run.subject_id == subject_id,
            Run.status.in_([RunStatus.queued, RunStatus.running]),
        )
    )


async def cancel(*, session: AsyncSession, run: Run) -> Run:
    """Cancel a queued run now; ask the worker to stop a running one (it turns ``cancelled`` shortly)."""
    if run.status.finished:
        raise Conflict(f"job {run.id} already {run.status.value}")
    run.cancel_requested = True
    if run.status == RunStatus.queued:
        run.status, run.finished_at, run.message = RunStatus.cancelled, _now(), "cancelled before it started"
        if run.job_id is not None:
            await cancel_in_transaction(session, job_id=run.job_id, abort=False)
        emit(session, names.RUN_FINISHED, event_data(run))
    else:
        run.message = "cancelling…"
        if run.job_id is not None:
            await cancel_in_transaction(session, job_id=run.job_id, abort=True)
        emit(session, names.RUN_PROGRESS, event_data(run))
    await session.flush()
    return run


async def retry(*, session: AsyncSession, run: Run) -> Run:
    """Run a failed or cancelled run again (handlers resume from what is already on disk)."""
    if run.status not in (RunStatus.failed, RunStatus.cancelled):
        raise Conflict(f"only failed or cancelled jobs can be retried (job {run.id} is {run.status.value})")
    run.status, run.error, run.cancel_requested, run.finished_at = RunStatus.queued, None, False, None
    run.attempts, run.progress, run.message = 0, 0.0, "waiting for a worker"
    run.job_id = await defer_in_transaction(session, run_id=run.id, queue=run.queue)
    emit(session, names.RUN_QUEUED, event_data(run))
    await session.flush()
    return run


# Transitions made by workers, each in its own short transaction.


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
        run.started_at = run.started_at or _now()
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


async def merge_result(db: Database, *, run_id: int, values: dict[str, Any]) -> None:
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is not None:
            run.result = {**run.result, **values}


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
    run.status, run.finished_at = status, _now()
    run.error = error if status != RunStatus.succeeded else None
    if status == RunStatus.succeeded:
        run.progress, run.message = 1.0, "done"
    else:
        run.message = (error or status.value)[:500]


async def mark_retrying(db: Database, *, run_id: int, message: str) -> None:
    async with db.transaction() as session:
        await session.execute(
            update(Run).where(Run.id == run_id).values(status=RunStatus.queued, message=message[:500])
        )
        run = await session.get(Run, run_id)
        if run is not None:
            emit(session, names.RUN_PROGRESS, event_data(run))


async def requeue(db: Database, *, run_id: int, message: str) -> None:
    """Put an interrupted run back in the queue with a fresh job (its handler resumes from disk)."""
    async with db.transaction() as session:
        run = await session.get(Run, run_id, with_for_update=True)
        if run is None or run.status.finished:
            return
        run.status, run.message = RunStatus.queued, message
        run.job_id = await defer_in_transaction(session, run_id=run.id, queue=run.queue)
        emit(session, names.RUN_PROGRESS, event_data(run))


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


async def counts_by_status(*, session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Run.status, func.count()).group_by(Run.status))
    return {status.value: count for status, count in rows.all()}
