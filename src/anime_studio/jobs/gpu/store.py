"""The database side of the GPU queues: tickets (rows + queue jobs), waiting for submission, loads."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.db.session import Database
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.errors import PromptTimedOut, failure_kind, restore
from anime_studio.engines.comfyui.pool import Backend
from anime_studio.engines.comfyui.render import RenderJob
from anime_studio.events.bus import get_bus
from anime_studio.events.outbox import emit
from anime_studio.jobs.gpu.models import ACTIVE, GpuRender
from anime_studio.jobs.gpu.queues import GPU_SUBMIT, queue_name

EVENT = "gpu.render"
_DEFER = text(
    "SELECT unnest(procrastinate_defer_jobs_v1(ARRAY[ROW(:queue, :task, 0, :lock, NULL, "
    "CAST(:args AS jsonb), NULL)::procrastinate_job_to_defer_v1])) AS id"
)


def now() -> datetime:
    return datetime.now(UTC)


class DbSubmitQueue:
    """``SubmitQueue`` on PostgreSQL: the queue job is deferred in the same transaction as its row."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, candidates: list[Backend], job: RenderJob) -> tuple[int, str]:
        async with self.db.transaction() as session:
            # One chooser at a time across all processes, so a burst of runs spreads over the backends.
            await session.execute(text("SELECT pg_advisory_xact_lock(84010002)"))
            backend = await _choose(session, candidates, job.checkpoint)
            queue = queue_name(backend)
            row = GpuRender(
                backend=backend,
                queue=queue,
                checkpoint=job.checkpoint,
                label=job.label[:255],
                workflow=job.workflow,
                uploads={k: str(v) for k, v in job.uploads.items()},
            )
            session.add(row)
            await session.flush()
            args = json.dumps({"render_id": row.id})
            # The lock makes the backend's queue strictly sequential across all workers and machines.
            row.job_id = await session.scalar(_DEFER, {"queue": queue, "task": GPU_SUBMIT, "lock": queue, "args": args})
            return row.id, backend

    async def submitted(self, ticket: int, timeout: float) -> str:
        deadline = asyncio.get_running_loop().time() + timeout
        async with get_bus().subscribe(EVENT) as events:
            while True:
                row = await self._get(ticket)
                if row.status in ("submitted", "running", "done") and row.prompt_id:
                    return row.prompt_id
                if row.status in ("failed", "cancelled"):
                    error = row.error or f"submission {row.status}"
                    raise restore(error, row.failure, transient=row.transient)
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise PromptTimedOut(row.backend, f"its queue did not take the prompt within {timeout:g} s")
                try:
                    await asyncio.wait_for(events.get(), timeout=min(remaining, 1.0))
                except TimeoutError:
                    continue

    async def _get(self, ticket: int) -> GpuRender:
        async with self.db.sessionmaker() as session:
            row = await session.get(GpuRender, ticket)
            if row is None:
                raise EngineError(f"GPU render {ticket} vanished")
            return row

    async def close(self, ticket: int, *, error: str | None) -> None:
        async with self.db.transaction() as session:
            row = await session.get(GpuRender, ticket, with_for_update=True)
            if row is None:
                return
            if row.status == "queued":  # not submitted yet: its queue job will see this and skip
                row.status = "cancelled"
            elif row.status not in ("failed", "cancelled"):
                row.status = "failed" if error else "done"
            row.error = row.error or error
            row.finished_at = now()
            emit(session, EVENT, {"render_id": row.id, "status": row.status})


async def _choose(session: AsyncSession, candidates: list[Backend], checkpoint: str) -> str:
    """Idle first, then the backend that last ran the same checkpoint, then the shortest queue."""
    urls = [b.url for b in candidates]
    active = dict(
        (
            await session.execute(
                select(GpuRender.backend, func.count())
                .where(GpuRender.status.in_(ACTIVE), GpuRender.backend.in_(urls))
                .group_by(GpuRender.backend)
            )
        ).all()
    )
    latest = dict(
        (
            await session.execute(
                select(GpuRender.backend, GpuRender.checkpoint)
                .ext(distinct_on(GpuRender.backend))
                .where(GpuRender.backend.in_(urls), GpuRender.status != "cancelled")
                .order_by(GpuRender.backend, GpuRender.id.desc())
            )
        ).all()
    )

    def rank(backend: Backend) -> tuple[bool, bool, int, int]:
        waiting = int(active.get(backend.url, 0))
        mismatch = bool(checkpoint) and latest.get(backend.url, backend.last_checkpoint) != checkpoint
        return waiting > 0, mismatch, waiting, backend.index

    return min(candidates, key=rank).url


def job_of(row: GpuRender) -> RenderJob:
    return RenderJob(
        workflow=row.workflow,
        uploads={k: Path(v) for k, v in row.uploads.items()},
        checkpoint=row.checkpoint,
        label=row.label,
    )


async def fail(db: Database, render_id: int, error: EngineError) -> None:
    """The queue job failed: record the error with its class, for the run that waits on it."""
    transient = isinstance(error, TransientEngineError)
    await mark(
        db, render_id, "failed", error=str(error), failure=failure_kind(error), transient=transient, finished_at=now()
    )


async def mark(
    db: Database, render_id: int, status: str, *, only_from: tuple[str, ...] = ("queued", "submitted"), **values: object
) -> None:
    """Move a render forward; never back (the caller may already have closed it)."""
    async with db.transaction() as session:
        row = await session.get(GpuRender, render_id, with_for_update=True)
        if row is None or row.status not in only_from:
            return
        row.status = status
        for key, value in values.items():
            setattr(row, key, value)
        emit(session, EVENT, {"render_id": row.id, "status": status})
