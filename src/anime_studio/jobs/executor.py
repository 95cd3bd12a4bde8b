"""The body of the one Procrastinate task: load the run, execute its kind, record the outcome."""

from __future__ import annotations

import asyncio
import logging
import os
import socket

import procrastinate
from procrastinate.job_context import AbortReason

from anime_studio.db.outage import is_outage
from anime_studio.db.session import Database
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.errors import DomainError
from anime_studio.jobs import transitions
from anime_studio.jobs.context import JobRuntime, RunContext
from anime_studio.jobs.failures import filesystem_problem
from anime_studio.jobs.handlers import get_kind
from anime_studio.jobs.models import RunStatus

log = logging.getLogger(__name__)

WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


async def execute_run(context: procrastinate.JobContext, run_id: int) -> None:
    """Execute run ``run_id``; every outcome is written to the ``runs`` row."""
    runtime: JobRuntime = context.additional_context["runtime"]
    db = runtime.db
    run = await transitions.claim(db, run_id=run_id, worker=WORKER_NAME, job_id=context.job.id)
    if run is None:
        return
    kind = get_kind(run.kind)
    if kind is None:
        await transitions.finish(db, run_id=run_id, status=RunStatus.failed, error=f"unknown run kind {run.kind!r}")
        return
    try:
        result = await kind.func(RunContext.for_run(runtime, run))
    except asyncio.CancelledError:
        await _after_cancel(context, db, run_id)
        raise
    except TransientEngineError as error:
        if run.attempts >= kind.max_attempts:
            await transitions.finish(
                db, run_id=run_id, status=RunStatus.failed, error=f"gave up after {run.attempts} attempts: {error}"
            )
            return
        await transitions.mark_retrying(db, run_id=run_id, message=f"attempt {run.attempts} failed, retrying: {error}")
        raise
    except (EngineError, DomainError) as error:
        await transitions.finish(db, run_id=run_id, status=RunStatus.failed, error=str(error))
        return
    except Exception as error:
        if is_outage(error):  # not the run's fault: it resumes from what is on disk once the database is back
            await _requeue_after_outage(db, run_id, run.kind)
            return
        message = filesystem_problem(error, runtime.settings)
        if message is None:
            log.exception("run %s (%s) crashed", run_id, run.kind)
            message = f"internal error: {type(error).__name__}: {error}"
        else:  # a folder the operator has to fix, not a bug: no traceback
            log.error("run %s (%s) failed: %s", run_id, run.kind, message)
        await transitions.finish(db, run_id=run_id, status=RunStatus.failed, error=message)
        return
    await transitions.finish(db, run_id=run_id, status=RunStatus.succeeded, result=result or {})


async def _after_cancel(context: procrastinate.JobContext, db: Database, run_id: int) -> None:
    """A stopping worker requeues its run; a cancel request cancels it."""
    try:
        if context.abort_reason() == AbortReason.SHUTDOWN and not await transitions.cancel_was_requested(db, run_id):
            await transitions.requeue(
                db, run_id=run_id, message="worker stopped; the run will resume on the next worker"
            )
        else:
            await transitions.finish(db, run_id=run_id, status=RunStatus.cancelled, error="cancelled")
    except Exception as error:
        if not is_outage(error):
            raise
        log.warning("run %s stopped during a database outage; recovery resumes it later", run_id)


async def _requeue_after_outage(db: Database, run_id: int, kind: str) -> None:
    try:
        await transitions.requeue(db, run_id=run_id, message="interrupted by a database outage; resuming")
    except Exception as error:
        if not is_outage(error):
            raise
        # Stopping during the outage: the run stays "running", and recovery requeues it once this worker's
        # heartbeat is seen to have stopped.
        log.warning("run %s (%s) interrupted by a database outage while stopping; recovery resumes it", run_id, kind)
        return
    log.warning("run %s (%s) interrupted by a database outage; requeued", run_id, kind)
