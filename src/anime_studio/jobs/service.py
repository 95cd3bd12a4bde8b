"""Run records as users see them: enqueue (atomically with the job), cancel, retry, listing.

The transitions workers make live one layer down, in ``transitions``."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.common.pagination import paginate
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.handlers import get_kind
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.jobs.queue import cancel_in_transaction, defer_in_transaction
from anime_studio.jobs.transitions import event_data, now


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
    delay: float | None = None,
) -> Run:
    """Record a run and enqueue its execution in the same transaction (``delay``: not before that many seconds)."""
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
    run.job_id = await defer_in_transaction(session, run_id=run.id, queue=spec.queue, delay=delay)
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
        run.status, run.finished_at, run.message = RunStatus.cancelled, now(), "cancelled before it started"
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


async def counts_by_status(*, session: AsyncSession) -> dict[str, int]:
    rows = await session.execute(select(Run.status, func.count()).group_by(Run.status))
    return {status.value: count for status, count in rows.all()}
