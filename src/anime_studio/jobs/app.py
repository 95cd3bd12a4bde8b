"""The Procrastinate app: the studio's two tasks on its database, built once per process by the runtime."""

from __future__ import annotations

import procrastinate

from anime_studio.engines.base import TransientEngineError
from anime_studio.jobs.connector import ResilientConnector
from anime_studio.jobs.executor import execute_run
from anime_studio.jobs.gpu.queues import GPU_SUBMIT
from anime_studio.jobs.gpu.submit import gpu_submit
from anime_studio.jobs.queue import EXECUTE_RUN

MAX_TRANSIENT_RETRIES = 10


def build_app(conninfo: str, *, retry_base_seconds: int = 3) -> procrastinate.App:
    """The Procrastinate app on ``conninfo``; transient engine errors retry with exponential backoff."""
    retry = procrastinate.RetryStrategy(
        max_attempts=MAX_TRANSIENT_RETRIES,
        wait=retry_base_seconds,
        exponential_wait=2,
        retry_exceptions={TransientEngineError},
    )
    app = procrastinate.App(connector=ResilientConnector(conninfo=conninfo))
    app.task(name=EXECUTE_RUN, pass_context=True, retry=retry)(execute_run)
    app.task(name=GPU_SUBMIT, pass_context=True)(gpu_submit)
    return app
