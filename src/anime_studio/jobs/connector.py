"""Procrastinate's connector, made to wait out a database outage instead of stopping the worker."""

from __future__ import annotations

import asyncio
import contextvars
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, LiteralString, TypeVar

import procrastinate
from procrastinate.connector import Notify

from anime_studio.db.outage import MAX_BACKOFF, OutageLog, is_outage

log = logging.getLogger(__name__)

T = TypeVar("T")

POOL_TIMEOUT = 5.0  # seconds a query waits for a pooled connection before it counts as an outage
CLOSING_POOL_TIMEOUT = 0.5  # the same once the process is stopping: the worker's last writes must not hang

# Set in a task whose queries must fail during an outage instead of waiting it out (run recovery: its view
# of worker heartbeats is stale until every live worker has sent one again).
fail_fast: contextvars.ContextVar[bool] = contextvars.ContextVar("fail_fast", default=False)


class ResilientConnector(procrastinate.PsycopgConnector):
    """Queries retry with backoff while the database is unreachable, so a worker (its heartbeat, its job
    fetching, the listener) survives a restart of PostgreSQL and its running jobs carry on.

    Without this, the first failed heartbeat stopped the worker for good, aborting its jobs. Retrying
    stops once ``closing`` is set, so a shutdown during an outage ends in bounded time.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(timeout=POOL_TIMEOUT, **kwargs)
        self.closing = False
        self.outage = OutageLog(log, "job queue")

    async def close_soon(self) -> None:
        """The process is stopping: no more retries, and a connection is waited for briefly at most.

        During an outage the pool is closed at once, so the worker's last writes fail instead of each
        waiting for a connection that cannot come.
        """
        self.closing = True
        if self._async_pool is None:
            return
        self._async_pool.timeout = CLOSING_POOL_TIMEOUT
        if self.outage.down:
            await self._async_pool.close(timeout=CLOSING_POOL_TIMEOUT)

    async def _retrying(self, call: Callable[[], Awaitable[T]]) -> T:
        delay = 0.2
        while True:
            try:
                result = await call()
            except Exception as error:
                if self.closing or fail_fast.get() or not is_outage(error):
                    raise
                self.outage.failed(error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, MAX_BACKOFF)
                continue
            self.outage.recovered()
            return result

    async def execute_query_async(self, query: LiteralString, **arguments: Any) -> None:
        await self._retrying(lambda: _Base.execute_query_async(self, query, **arguments))

    async def execute_query_one_async(self, query: LiteralString, **arguments: Any) -> dict[str, Any]:
        return await self._retrying(lambda: _Base.execute_query_one_async(self, query, **arguments))

    async def execute_query_all_async(self, query: LiteralString, **arguments: Any) -> list[dict[str, Any]]:
        return await self._retrying(lambda: _Base.execute_query_all_async(self, query, **arguments))

    async def listen_notify(self, on_notification: Notify, channels: Iterable[str]) -> None:
        """Listen until cancelled: the parent reconnects after a drop, but gives up when reconnecting fails."""
        names = list(channels)
        while True:
            await self._retrying(lambda: _Base.listen_notify(self, on_notification, names))


_Base = procrastinate.PsycopgConnector
