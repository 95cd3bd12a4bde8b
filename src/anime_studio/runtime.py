"""Process start-up shared by ``serve``, ``worker`` and the tests: database, event bridge, job queue, engines."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property

import procrastinate

from anime_studio.auth import service as auth_service
from anime_studio.config import Settings
from anime_studio.correction import listeners as correction_listeners
from anime_studio.db import migrate
from anime_studio.db.server import database_url, libpq_url
from anime_studio.db.session import Database
from anime_studio.db.supervisor import supervise
from anime_studio.engines.registry import Engines, build_engines
from anime_studio.events.bridge import PgBridge
from anime_studio.events.bus import EventBus, get_bus
from anime_studio.jobs.app import build_app
from anime_studio.jobs.connector import ResilientConnector
from anime_studio.jobs.gpu.queues import gpu_queues, uses_gpu_queues
from anime_studio.jobs.gpu.store import DbSubmitQueue
from anime_studio.jobs.worker import run_worker
from anime_studio.learning import listeners as learning_listeners
from anime_studio.media.paths import MediaPaths
from anime_studio.memory.indexer import Indexer
from anime_studio.memory.store import build_store
from anime_studio.tasks import install_reactions, load_task_modules
from anime_studio.vault import keep_fresh

log = logging.getLogger(__name__)


def prepare_database(settings: Settings) -> str:
    """Start the embedded server if needed and apply migrations; return the SQLAlchemy URL."""
    url = database_url(settings)
    migrate.upgrade(url)
    return url


@dataclass
class Runtime:
    """Everything a process shares: settings, database pool, event bus, job queue, engines, media paths."""

    settings: Settings
    db: Database
    bus: EventBus
    queue_app: procrastinate.App
    paths: MediaPaths
    _workers: list[asyncio.Task[None]] = field(default_factory=list)
    memory: Indexer | None = None

    @cached_property
    def engines(self) -> Engines:
        """Built on first use, so a process only loads (and connects) the engines it needs."""
        queue = DbSubmitQueue(self.db) if uses_gpu_queues(self.settings) else None
        return build_engines(self.settings, submit_queue=queue)

    def start_worker(
        self, *, queues: Sequence[str] | None = None, concurrency: int | None = None
    ) -> asyncio.Task[None]:
        """Work the studio queue (or ``queues``); with ComfyUI backends, also one GPU queue per backend."""
        gpu = gpu_queues(self.settings) if uses_gpu_queues(self.settings) else []
        wanted = list(queues) if queues else ["studio", *gpu]
        cpu = [q for q in wanted if q not in gpu]
        own = [q for q in wanted if q in gpu]
        if cpu:
            concurrency = concurrency or self.settings.worker_concurrency
            self._workers.append(asyncio.create_task(run_worker(self, queues=cpu, concurrency=concurrency)))
        for queue in own:
            # One worker per backend queue, concurrency 1: it fetches that backend's next job the moment the
            # current one returns, and GPU jobs never wait behind runs that wait for them.
            self._workers.append(asyncio.create_task(run_worker(self, queues=[queue], concurrency=1)))
        return self._workers[-1]

    async def stop_workers(self) -> None:
        for task in self._workers:
            task.cancel()
        for task in self._workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._workers.clear()


@asynccontextmanager
async def runtime(settings: Settings, url: str) -> AsyncIterator[Runtime]:
    """Open the database pool, the cross-process event bridge and the job queue for the life of the process.

    Also keeps the embedded PostgreSQL up while the process runs (see ``db.supervisor``).
    """
    load_task_modules()
    db = Database.connect(url)
    bus = get_bus()
    bridge = PgBridge(bus, libpq_url(url))
    await bridge.start()
    queue_app = build_app(libpq_url(url), retry_base_seconds=settings.job_retry_base_seconds)
    await queue_app.open_async()
    rt = Runtime(settings=settings, db=db, bus=bus, queue_app=queue_app, paths=MediaPaths(settings.media_dir))
    learning_listeners.install(bus, db)
    correction_listeners.install(bus, db)
    watchdog = asyncio.create_task(supervise())
    reactions = install_reactions(rt)
    rt.memory = Indexer(db, rt.engines.embeddings, build_store(settings))
    rt.memory.start()
    # Rotated engine tokens reach engines built afterwards: the cached ones are dropped.
    secrets = asyncio.create_task(keep_fresh(settings, lambda _: rt.__dict__.pop("engines", None)))
    try:
        yield rt
    finally:
        for uninstall in reactions:
            uninstall()
        await _bounded(rt.memory.stop(), STOP_MARGIN, "stopping the memory indexer")
        # From here on nothing waits for the database: a shutdown during an outage ends in bounded time.
        db.closing = True
        if isinstance(queue_app.connector, ResilientConnector):
            await _bounded(queue_app.connector.close_soon(), STOP_MARGIN, "closing the job queue's connections")
        await _bounded(rt.stop_workers(), settings.worker_shutdown_grace + STOP_MARGIN, "stopping the workers")
        await _bounded(_cancel(watchdog), STOP_MARGIN, "stopping the database watchdog")
        await _bounded(_cancel(secrets), STOP_MARGIN, "stopping the Vault refresher")
        await _bounded(queue_app.close_async(), STOP_MARGIN, "closing the job queue")
        await _bounded(bridge.stop(), STOP_MARGIN, "stopping the event bridge")
        await _bounded(db.dispose(), STOP_MARGIN, "closing the database pool")


STOP_MARGIN = 5.0  # seconds each shutdown step may take beyond its own grace period


async def _bounded(step: Awaitable[None], seconds: float, what: str) -> None:
    try:
        await asyncio.wait_for(step, timeout=seconds)
    except TimeoutError:
        log.warning("%s took over %.0f s; going on without it", what, seconds)
    except Exception as error:  # shutdown goes on: the database may be gone
        log.warning("%s failed: %s", what, " ".join(str(error).split())[:200])


async def _cancel(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


async def ensure_admin(db: Database) -> tuple[str, str] | None:
    """Create the first admin on an empty database; returns its credentials once."""
    async with db.transaction() as session:
        return await auth_service.ensure_initial_admin(session=session)
