"""The background indexer of one process: takes committed changes from ``tracking`` and embeds them at once."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from anime_studio.db.session import Database
from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.memory import service, tracking
from anime_studio.memory.documents import Ref
from anime_studio.memory.store import VectorStore

log = logging.getLogger(__name__)
RETRY_SECONDS = 2.0
ATTEMPTS = 5  # then the facts wait for the next change or the next search's catch-up


class Indexer:
    """Batches whatever changed while it was busy; a failed batch (engine down, say) is tried again later."""

    def __init__(self, db: Database, engine: EmbeddingEngine, store: VectorStore) -> None:
        self.db = db
        self.engine = engine
        self.store = store
        self._pending: set[Ref] = set()
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._idle.set()
        self._task: asyncio.Task[None] | None = None
        self._failures = 0
        self._loop: asyncio.AbstractEventLoop | None = None

    def mark(self, refs: set[Ref], bind: object) -> None:
        # Two apps in one process (tests) each have a database and an indexer in their own loop and thread.
        if bind is not None and bind is not self.db.engine.sync_engine:
            return
        if self._loop is None:
            return
        try:
            same_loop = asyncio.get_running_loop() is self._loop
        except RuntimeError:
            same_loop = False
        if same_loop:
            self._take(refs)
        else:
            self._loop.call_soon_threadsafe(self._take, set(refs))

    def _take(self, refs: set[Ref]) -> None:
        self._pending |= refs
        self._idle.clear()
        self._wake.set()

    def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        tracking.attach(self)
        self._task = asyncio.create_task(self._run(), name="memory-indexer")

    async def stop(self) -> None:
        tracking.detach(self)
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        close = getattr(self.store, "close", None)
        if close is not None:
            await close()

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until every change handed over so far is indexed (tests, the chat before it searches)."""
        await asyncio.wait_for(self._idle.wait(), timeout)

    async def _run(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            batch, self._pending = self._pending, set()
            try:
                # One fact per transaction: its row locks (the foreign key to a shot, a scene…) are held one at a
                # time, so the indexer can wait behind a request but never deadlock with one (shot reorders lock
                # many shots in their own order).
                for ref in sorted(batch):
                    async with self.db.transaction() as session:
                        await service.index(session=session, refs=[ref], engine=self.engine, store=self.store)
                    batch.discard(ref)
            except Exception as error:
                self._failures += 1
                log.warning("memory indexing of %d facts failed (attempt %d): %s", len(batch), self._failures, error)
                if self._failures < ATTEMPTS:
                    self._pending |= batch
                    await asyncio.sleep(RETRY_SECONDS)
                    self._wake.set()
                    continue
            self._failures = 0
            if not self._pending:
                self._idle.set()
