"""One websocket per client (``/ws?clientId=…``), fanned out to subscribers by prompt id.

ComfyUI sends a prompt's execution messages only to the socket whose ``clientId`` submitted it, and a
second socket with the same id replaces the first, so every waiter of a client shares one connection.
Binary frames (latent previews) are ignored. When the socket drops, subscribers get a ``_disconnected``
event (they fall back to polling) and the hub reconnects while anyone is still listening. Recent events
are kept briefly and replayed to a new subscriber of the same prompt, so subscribing just after
``POST /prompt`` misses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

log = logging.getLogger(__name__)

CONNECTED = "_connected"
DISCONNECTED = "_disconnected"
_RECONNECT_DELAYS = (0.2, 0.5, 1.0, 2.0, 5.0)
_REPLAY = 1000


@dataclass(frozen=True)
class ComfyEvent:
    """A websocket message: ``type`` (status, executing, progress, executed, execution_* …) and ``data``."""

    type: str
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def prompt_id(self) -> str | None:
        value = self.data.get("prompt_id")
        return str(value) if value is not None else None


def parse_message(raw: str | bytes) -> ComfyEvent | None:
    """A text frame as an event; None for binary frames (previews) and malformed text."""
    if isinstance(raw, bytes):
        return None
    try:
        message = json.loads(raw)
    except ValueError:
        return None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        return None
    data = message.get("data")
    return ComfyEvent(message["type"], data if isinstance(data, dict) else {})


class Subscription:
    """Events for one prompt (or for everything when ``prompt_id`` is None)."""

    def __init__(self, prompt_id: str | None) -> None:
        self.prompt_id = prompt_id
        self._queue: asyncio.Queue[ComfyEvent] = asyncio.Queue()

    def wants(self, event: ComfyEvent, current: str | None) -> bool:
        if self.prompt_id is None or event.type in (CONNECTED, DISCONNECTED):
            return True
        # Old servers send progress without a prompt id: it belongs to the prompt that is executing.
        return (event.prompt_id or current) == self.prompt_id

    def put(self, event: ComfyEvent) -> None:
        self._queue.put_nowait(event)

    async def get(self, timeout: float | None = None) -> ComfyEvent | None:
        """The next event, or None when ``timeout`` seconds pass without one."""
        try:
            return await asyncio.wait_for(self._queue.get(), timeout)
        except TimeoutError:
            return None


class EventHub:
    """Owns the websocket of one ComfyClient; started by the first subscriber, stopped by the last."""

    def __init__(self, ws_url: str, *, linger: float = 5.0) -> None:
        self.ws_url = ws_url
        self.linger = linger
        self.connected = False
        self._subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._closer: asyncio.Task[None] | None = None
        self._current_prompt: str | None = None
        self._recent: deque[ComfyEvent] = deque(maxlen=_REPLAY)
        self._attempted = asyncio.Event()

    def rebind(self) -> None:
        """Forget tasks and events of a previous event loop (a client reused under a new loop)."""
        self._subscribers = set()
        self._task = self._closer = None
        self._attempted = asyncio.Event()
        self.connected = False

    @contextlib.asynccontextmanager
    async def subscribe(self, prompt_id: str | None = None) -> AsyncIterator[Subscription]:
        """Receive events while inside the block (for one prompt id, or all when None)."""
        subscription = Subscription(prompt_id)
        if prompt_id is not None:
            for event in self._recent:
                if event.prompt_id == prompt_id:
                    subscription.put(event)
        self._subscribers.add(subscription)
        self._start()
        try:
            yield subscription
        finally:
            self._subscribers.discard(subscription)
            self._linger()

    async def warm(self, timeout: float = 2.0) -> bool:
        """Open the socket (if needed) and wait briefly for it, so the next prompt's events are seen."""
        self._start()
        self._linger()
        if not self.connected:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._attempted.wait(), timeout)
        return self.connected

    def _start(self) -> None:
        self._cancel_closer()
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name=f"comfyui-ws {self.ws_url}")

    def _linger(self) -> None:
        """Close the socket a little after the last subscriber left (a following waiter reuses it)."""
        if not self._subscribers and self._closer is None:
            self._closer = asyncio.create_task(self._close_later())

    async def _close_later(self) -> None:
        await asyncio.sleep(self.linger)
        self._closer = None
        if not self._subscribers:
            await self.close()

    def _cancel_closer(self) -> None:
        if self._closer is not None:
            self._closer.cancel()
            self._closer = None

    async def close(self) -> None:
        """Drop the websocket now."""
        self._cancel_closer()
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self.connected = False

    async def _run(self) -> None:
        failures = 0
        while True:
            try:
                async with connect(self.ws_url, open_timeout=5, max_size=None, ping_interval=20) as ws:
                    failures = 0
                    await self._pump(ws)
            except (OSError, WebSocketException, TimeoutError) as error:
                log.debug("comfyui websocket %s: %s", self.ws_url, error)
            self._attempted.set()  # warm() stops waiting: the socket is up, or this try failed
            if self.connected:
                self.connected = False
                self._dispatch(ComfyEvent(DISCONNECTED))
            delay = _RECONNECT_DELAYS[min(failures, len(_RECONNECT_DELAYS) - 1)]
            failures += 1
            await asyncio.sleep(delay)

    async def _pump(self, ws: ClientConnection) -> None:
        self.connected = True
        self._attempted.set()
        self._dispatch(ComfyEvent(CONNECTED))
        async for raw in ws:
            event = parse_message(raw)
            if event is not None:
                self._track(event)
                if event.prompt_id is not None:
                    self._recent.append(event)
                self._dispatch(event)

    def _track(self, event: ComfyEvent) -> None:
        if event.type == "execution_start":
            self._current_prompt = event.prompt_id
        elif event.type == "executing" and event.data.get("node") is None:
            self._current_prompt = None

    def _dispatch(self, event: ComfyEvent) -> None:
        for subscription in list(self._subscribers):
            if subscription.wants(event, self._current_prompt):
                subscription.put(event)
