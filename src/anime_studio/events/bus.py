"""In-process publish/subscribe with a replay buffer; the NOTIFY bridge plugs in as ``forward``."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

log = logging.getLogger(__name__)

Handler = Callable[["Event"], Awaitable[None]]


@dataclass(frozen=True)
class Event:
    name: str
    data: dict[str, Any]
    id: str = field(default_factory=lambda: uuid4().hex)
    at: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "data": self.data, "at": self.at}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Event:
        return cls(name=str(raw["name"]), data=dict(raw.get("data") or {}), id=str(raw["id"]), at=float(raw["at"]))


def matches(name: str, patterns: tuple[str, ...]) -> bool:
    """``patterns`` are exact names or prefixes ending in ``.`` or ``*`` (``run.*``); empty matches all."""
    if not patterns:
        return True
    return any(name == p or (p.endswith(("*", ".")) and name.startswith(p.rstrip("*"))) for p in patterns)


class Subscription:
    """A bounded queue of events; a slow consumer loses its oldest events, never blocks publishers."""

    def __init__(self, patterns: tuple[str, ...], maxsize: int) -> None:
        self.patterns = patterns
        self.queue: asyncio.Queue[Event] = asyncio.Queue(maxsize)
        self.dropped = 0

    def offer(self, event: Event) -> None:
        if not matches(event.name, self.patterns):
            return
        if self.queue.full():
            with suppress(asyncio.QueueEmpty):
                self.queue.get_nowait()
            self.dropped += 1
        self.queue.put_nowait(event)

    async def get(self) -> Event:
        return await self.queue.get()


class EventBus:
    def __init__(self, *, replay: int = 512) -> None:
        self._subscriptions: set[Subscription] = set()
        self._handlers: list[tuple[tuple[str, ...], Handler, bool]] = []
        self._recent: deque[Event] = deque(maxlen=replay)
        self._tasks: set[asyncio.Task[None]] = set()
        self.forward: Callable[[Event], None] | None = None

    def on(self, *patterns: str, local_only: bool = False) -> Callable[[Handler], Handler]:
        """Register an in-process reaction (a cross-domain listener).

        ``local_only`` reactions skip events bridged in from other processes: every process runs them, so
        each event is reacted to exactly once, by the process where it happened.
        """

        def register(handler: Handler) -> Handler:
            self._handlers.append((patterns, handler, local_only))
            return handler

        return register

    def remove(self, handler: Handler) -> None:
        """Unregister a reaction (a runtime that closes takes its reactions with it)."""
        self._handlers = [entry for entry in self._handlers if entry[1] is not handler]

    def publish(self, name: str, data: dict[str, Any] | None = None) -> Event:
        """Deliver locally now and forward to other processes; safe to call from sync code in the loop."""
        event = Event(name=name, data=data or {})
        self.deliver(event)
        if self.forward is not None:
            self.forward(event)
        return event

    def deliver(self, event: Event, *, remote: bool = False) -> None:
        """Hand an event to local subscribers and handlers (``remote``: it came from another process)."""
        self._recent.append(event)
        for subscription in list(self._subscriptions):
            subscription.offer(event)
        for patterns, handler, local_only in self._handlers:
            if matches(event.name, patterns) and not (remote and local_only):
                self._spawn(handler, event)

    def _spawn(self, handler: Handler, event: Event) -> None:
        async def run() -> None:
            try:
                await handler(event)
            except Exception:
                log.exception("event handler %s failed on %s", getattr(handler, "__name__", handler), event.name)

        try:
            task = asyncio.get_running_loop().create_task(run())
        except RuntimeError:
            log.warning("no running loop; handler for %s skipped", event.name)
            return
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def recent_after(self, event_id: str | None, patterns: tuple[str, ...] = ()) -> list[Event]:
        """Events after ``event_id`` still in the replay buffer (for SSE reconnects)."""
        if not event_id:
            return []
        events = list(self._recent)
        ids = [e.id for e in events]
        if event_id not in ids:
            return []
        return [e for e in itertools.islice(events, ids.index(event_id) + 1, None) if matches(e.name, patterns)]

    @asynccontextmanager
    async def subscribe(self, *patterns: str, maxsize: int = 1000) -> AsyncIterator[Subscription]:
        subscription = Subscription(tuple(patterns), maxsize)
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    async def drain(self) -> None:
        """Wait for running handlers (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


_bus = EventBus()


def get_bus() -> EventBus:
    """The process-wide bus (one per process, like the database pool)."""
    return _bus
