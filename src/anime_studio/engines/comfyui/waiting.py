"""Follow a prompt to its end: websocket events first, ``/queue`` + ``/history`` polling as the fallback.

Polling asks ``/queue`` before ``/history``: ComfyUI moves a prompt from "running" to the history under
one lock, so a prompt in neither place after those two reads is really gone (the server restarted).
"""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from anime_studio.engines.base import EngineError, Progress
from anime_studio.engines.comfyui.errors import (
    BackendUnavailable,
    Interrupted,
    PromptLost,
    PromptTimedOut,
    execution_error,
)
from anime_studio.engines.comfyui.events import CONNECTED, DISCONNECTED, ComfyEvent, EventHub, Subscription
from anime_studio.engines.comfyui.queue_state import QueueItem, QueueState


class ComfyClient(Protocol):
    """What following a prompt needs from a client (``client.ComfyClient`` provides it)."""

    url: str
    hub: EventHub
    poll_interval: float
    unreachable_grace: float

    def ensure_loop(self) -> httpx.AsyncClient: ...

    async def queue(self, *, timeout: float | None = None) -> QueueState: ...

    async def history(self, prompt_id: str) -> dict[str, Any] | None: ...

    async def interrupt(self, prompt_id: str | None = None) -> None: ...

    async def delete_queued(self, prompt_ids: list[str]) -> None: ...

    def node_types(self, prompt_id: str, *, forget: bool = False) -> dict[str, str]: ...


_HISTORY_RETRIES = (0.05, 0.1, 0.2, 0.5, 1.0)


@dataclass
class PromptState:
    """Where a prompt is: finished (``entry``), running, pending (``item``), or unknown (server unreachable)."""

    entry: dict[str, Any] | None = None
    item: QueueItem | None = None
    running: bool = False
    reachable: bool = True


class _Poller:
    """Polls the prompt's state; tolerates an unreachable server for ``unreachable_grace`` seconds."""

    def __init__(self, client: ComfyClient, prompt_id: str) -> None:
        self.client = client
        self.prompt_id = prompt_id
        self._down_since: float | None = None

    async def check(self) -> PromptState:
        try:
            queue = await self.client.queue()
            item = queue.find(self.prompt_id)
            entry = None if item else await self.client.history(self.prompt_id)
        except BackendUnavailable:
            now = asyncio.get_running_loop().time()
            self._down_since = self._down_since if self._down_since is not None else now
            if now - self._down_since >= self.client.unreachable_grace:
                raise
            return PromptState(reachable=False)
        self._down_since = None
        if item is None and entry is None:
            raise PromptLost(self.client.url, self.prompt_id)
        return PromptState(entry=entry, item=item, running=queue.is_running(self.prompt_id))


class ProgressTracker:
    """Turns node and sampler-step events into a monotonic fraction 0..1 with a readable message."""

    def __init__(self, progress: Progress | None, nodes: dict[str, str]) -> None:
        self.progress = progress
        self.nodes = nodes
        self.done: set[str] = set()
        self.current: str | None = None
        self.partial = 0.0
        self.last = 0.0

    def learn(self, item: QueueItem | None) -> None:
        if item is not None and not self.nodes:
            self.nodes = {k: str(v.get("class_type", "?")) for k, v in item.prompt.items() if isinstance(v, dict)}

    async def handle(self, event: ComfyEvent) -> None:
        data = event.data
        if event.type == "execution_start":
            await self._report("started")
        elif event.type == "execution_cached":
            self.done.update(str(n) for n in data.get("nodes") or [])
        elif event.type == "executing" and data.get("node") is not None:
            if self.current is not None:
                self.done.add(self.current)
            self.current, self.partial = str(data["node"]), 0.0
            await self._report(f"node {self.current} ({self.nodes.get(self.current, '?')})")
        elif event.type == "progress":
            value, maximum = float(data.get("value") or 0), float(data.get("max") or 1)
            self.partial = min(1.0, value / maximum) if maximum else 0.0
            await self._report(f"{self.nodes.get(self.current or '', 'sampling')} step {int(value)}/{int(maximum)}")

    async def _report(self, message: str) -> None:
        if self.progress is None:
            return
        total = len(self.nodes)
        fraction = (len(self.done) + self.partial) / total if total else self.partial
        self.last = max(self.last, min(0.99, fraction))
        await self.progress(self.last, message)


async def wait(client: ComfyClient, prompt_id: str, progress: Progress | None, *, timeout: float) -> dict[str, Any]:
    """The finished prompt's history entry; raises on execution error, interruption, loss or timeout."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    poller = _Poller(client, prompt_id)
    tracker = ProgressTracker(progress, client.node_types(prompt_id, forget=True))
    client.ensure_loop()
    async with client.hub.subscribe(prompt_id) as subscription:
        state = await poller.check()
        if state.entry is not None:
            return _finished(state.entry, prompt_id, client.url)
        tracker.learn(state.item)
        while True:
            remaining = deadline - loop.time()
            if remaining <= 0:
                await _give_up(client, prompt_id)
                raise PromptTimedOut(client.url, f"prompt {prompt_id} did not finish in {timeout:g} s")
            event = await subscription.get(min(_poll_delay(client), remaining))
            entry = await _step(client, poller, tracker, subscription, event, prompt_id)
            if entry is not None:
                return _finished(entry, prompt_id, client.url)


async def _step(
    client: ComfyClient,
    poller: _Poller,
    tracker: ProgressTracker,
    subscription: Subscription,
    event: ComfyEvent | None,
    prompt_id: str,
) -> dict[str, Any] | None:
    """Handle one event (or a quiet interval); returns the history entry once the prompt is over."""
    if event is None or event.type in (DISCONNECTED, CONNECTED):
        state = await poller.check()
        tracker.learn(state.item)
        return state.entry
    if event.type == "execution_error":
        raise execution_error({"prompt_id": prompt_id, **event.data}, url=client.url)
    if event.type == "execution_interrupted":
        raise Interrupted(client.url, prompt_id, event.data.get("node_id"), event.data.get("node_type"))
    if event.type == "executing" and event.data.get("node") is None:
        return await _history_now(client, prompt_id)
    if event.type == "execution_success":
        # ComfyUI writes the history right after this message; "executing: null" follows once it has.
        return await client.history(prompt_id)
    await tracker.handle(event)
    return None


async def _history_now(client: ComfyClient, prompt_id: str) -> dict[str, Any]:
    for delay in _HISTORY_RETRIES:
        entry = await client.history(prompt_id)
        if entry is not None:
            return entry
        await asyncio.sleep(delay)
    raise PromptLost(client.url, prompt_id)


def _finished(entry: dict[str, Any], prompt_id: str, url: str) -> dict[str, Any]:
    status = entry.get("status")
    if not isinstance(status, dict) or status.get("status_str") != "error":
        return entry
    for message in status.get("messages") or []:
        if isinstance(message, list) and len(message) == 2 and isinstance(message[1], dict):
            if message[0] == "execution_error":
                raise execution_error({"prompt_id": prompt_id, **message[1]}, url=url)
            if message[0] == "execution_interrupted":
                raise Interrupted(url, prompt_id, message[1].get("node_id"), message[1].get("node_type"))
    raise EngineError(f"ComfyUI at {url}: prompt {prompt_id} failed without an error message")


def _poll_delay(client: ComfyClient) -> float:
    # Without a live socket nothing will wake us, so poll a little faster.
    return client.poll_interval if client.hub.connected else min(client.poll_interval, 0.5)


async def _give_up(client: ComfyClient, prompt_id: str) -> None:
    """Best effort: do not leave a prompt we stopped waiting for burning GPU time."""
    with contextlib.suppress(EngineError):
        await client.delete_queued([prompt_id])
        await client.interrupt(prompt_id)


async def wait_started(client: ComfyClient, prompt_id: str, *, timeout: float) -> None:
    """Return once the prompt executes (or finished); raises if it is lost or ``timeout`` passes."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    poller = _Poller(client, prompt_id)
    client.ensure_loop()
    async with client.hub.subscribe(prompt_id) as subscription:
        while True:
            state = await poller.check()
            if state.entry is not None or state.running:
                return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise PromptTimedOut(client.url, f"prompt {prompt_id} did not start in {timeout:g} s")
            event = await subscription.get(min(_poll_delay(client), remaining))
            if event is not None and event.type not in (CONNECTED, DISCONNECTED, "status"):
                return
