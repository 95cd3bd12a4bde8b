"""Run Procrastinate workers inside a studio process (``serve``) or on their own (``anime-studio worker``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import procrastinate
from procrastinate.app import WorkerOptions

from anime_studio.db.outage import OutageLog, is_outage
from anime_studio.jobs.connector import ResilientConnector, fail_fast
from anime_studio.jobs.context import JobRuntime
from anime_studio.jobs.recovery import recover_stalled

log = logging.getLogger(__name__)

DEFAULT_QUEUES = ("studio",)


async def _recovery_loop(runtime: JobRuntime, app: procrastinate.App) -> None:
    settings = runtime.settings
    outage = OutageLog(log, "run recovery")
    queue_outage = app.connector.outage if isinstance(app.connector, ResilientConnector) else None
    # After an outage every worker's heartbeat looks old until it sends the next one: recovering before
    # then would requeue runs that are still running.
    settle = settings.worker_stalled_after + settings.worker_heartbeat_interval
    fail_fast.set(True)
    while True:
        settled = outage.quiet_for(settle) and (queue_outage is None or queue_outage.quiet_for(settle))
        try:
            if settled:
                count = await recover_stalled(app, runtime.db, stalled_after=settings.worker_stalled_after)
                if count:
                    log.warning("recovered %d interrupted run(s)", count)
            elif outage.down:
                await app.connector.execute_query_async("SELECT 1")
            outage.recovered()
        except Exception as error:
            if not is_outage(error):
                log.exception("run recovery failed; will try again")
            else:
                outage.failed(error)
        await asyncio.sleep(settings.worker_recovery_interval)


async def run_worker(runtime: JobRuntime, *, queues: Sequence[str] | None, concurrency: int) -> None:
    """Work ``queues`` (all when None) until cancelled; also recovers runs of dead workers."""
    app = runtime.queue_app
    settings = runtime.settings
    # One recovery loop per process is enough: the one next to the studio queue runs it.
    recovery = asyncio.create_task(_recovery_loop(runtime, app)) if not queues or "studio" in queues else None
    options: WorkerOptions = {
        "concurrency": max(1, concurrency),
        "name": f"anime-studio:{','.join(queues or ['*'])}",
        "install_signal_handlers": False,
        "additional_context": {"runtime": runtime},
        "update_heartbeat_interval": settings.worker_heartbeat_interval,
        "stalled_worker_timeout": settings.worker_stalled_after,
        "abort_job_polling_interval": 2.0,
        "shutdown_graceful_timeout": settings.worker_shutdown_grace,
        "delete_jobs": "successful",
    }
    if queues:
        options["queues"] = list(queues)
    try:
        await _keep_working(app, options)
    finally:
        if recovery is not None:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery


async def _keep_working(app: procrastinate.App, options: WorkerOptions) -> None:
    """Run the worker until cancelled; should it stop on an error anyway, start it again (with backoff).

    The connector already waits out database outages; this covers what it cannot (an error in a side task).
    """
    delay = 1.0
    while True:
        try:
            await app.run_worker_async(**options)
            return
        except Exception as error:
            if isinstance(app.connector, ResilientConnector) and app.connector.closing:
                raise
            log.warning("worker %s stopped (%s); starting it again in %.0f s", options["name"], error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)
