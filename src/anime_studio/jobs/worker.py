"""Run Procrastinate workers inside a studio process (``serve``) or on their own (``anime-studio worker``)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

import procrastinate
from procrastinate.app import WorkerOptions

from anime_studio.jobs.context import JobRuntime
from anime_studio.jobs.recovery import recover_stalled

log = logging.getLogger(__name__)

DEFAULT_QUEUES = ("studio",)


async def _recovery_loop(runtime: JobRuntime, app: procrastinate.App) -> None:
    settings = runtime.settings
    while True:
        try:
            count = await recover_stalled(app, runtime.db, stalled_after=settings.worker_stalled_after)
            if count:
                log.warning("recovered %d interrupted run(s)", count)
        except Exception:
            log.exception("run recovery failed; will try again")
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
        await app.run_worker_async(**options)
    finally:
        if recovery is not None:
            recovery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await recovery
