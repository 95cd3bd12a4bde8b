"""Several ComfyUI machines as one pool: health, affinity, at most one running + one queued prompt each.

Scheduling primitives (public, so a job queue can drive backends with them too):
- ``choose(checkpoint)`` reserves a ``Slot`` on the best backend: idle ones first, then the one whose
  loaded checkpoint matches (switching checkpoints costs a model load), never beyond 1 running + 1 queued;
- ``Slot.started()`` once its prompt executes, ``Slot.release()`` when done (frees capacity, records the
  checkpoint now loaded); ``record_failure(backend, error)`` shows any failure on the backend's status and
  parks the backend for a short back-off when the backend itself failed (unreachable, timed out).

Status probes run concurrently with a short limit: a hung backend cannot hold up ``refresh()``, which
answers within ``PROBE_WAIT`` with the last probe of such a backend and its age. A probe still in flight
is shared by every caller instead of piling up another request on the hung server.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.client import ComfyClient
from anime_studio.engines.comfyui.errors import (
    CONNECTION_KINDS,
    LABELS,
    BackendUnavailable,
    FailureKind,
    failure_kind,
)

MAX_RUNNING = 1
MAX_QUEUED = 1
PROBE_WAIT = 1.0
"""Seconds a status request waits for the backends' answers (ComfyUI answers in milliseconds when well)."""
PROBE_GRACE = 0.1
"""Seconds every status request gives a probe that was already overdue (the backend may just have recovered)."""
PROBE_LIMIT = 10.0
"""Seconds a probe may take in the background before the backend counts as timed out."""


class BackendStatus(BaseModel):
    """One backend as ``GET /api/lora/gpu/status`` shows it."""

    url: str
    reachable: bool | None
    running: int
    queued: int
    vram_total: int | None = None
    vram_free: int | None = None
    device: str = ""
    last_checkpoint: str = ""
    last_error: str = ""
    last_failure: FailureKind | None = None
    checked_age: float | None = None
    """Seconds since the last status probe answered or failed (None: never probed)."""
    retry_in: float = 0.0
    held_by: str = ""
    """A long job (LoRA training) that has the backend to itself; renders go elsewhere meanwhile."""


@dataclass
class Backend:
    """Per-backend state: reachability, our reservations, the server's own queue, VRAM."""

    url: str
    client: ComfyClient
    index: int
    reachable: bool | None = None
    last_error: str = ""
    last_failure: FailureKind | None = None
    probed_at: float | None = None
    probe: asyncio.Task[None] | None = None
    probe_started: float = 0.0
    probe_failed: bool = False
    """``last_error`` came from a status probe (the next answering probe clears it)."""
    down_until: float = 0.0
    failures: int = 0
    last_checkpoint: str = ""
    server_running: int = 0
    server_pending: int = 0
    vram_total: int | None = None
    vram_free: int | None = None
    device: str = ""
    slots: list[Slot] = field(default_factory=list)
    uploaded: set[str] = field(default_factory=set)
    held_by: str = ""

    @property
    def running(self) -> int:
        return sum(1 for slot in self.slots if slot.state == "running")

    @property
    def queued(self) -> int:
        return sum(1 for slot in self.slots if slot.state == "queued")

    @property
    def expected_checkpoint(self) -> str:
        """The checkpoint loaded once the work already placed here has run."""
        planned = [slot.checkpoint for slot in self.slots if slot.checkpoint]
        return planned[-1] if planned else self.last_checkpoint

    @property
    def foreign_load(self) -> int:
        """Prompts in the server's queue that are not ours (other users of the same GPU)."""
        return max(0, self.server_running + self.server_pending - len(self.slots))

    def has_room(self) -> bool:
        if self.held_by:
            return False
        return self.running <= MAX_RUNNING and self.queued < MAX_QUEUED and len(self.slots) < MAX_RUNNING + MAX_QUEUED


@dataclass
class Slot:
    """A reservation on one backend: ``queued`` → ``running`` → ``released``."""

    pool: ComfyPool
    backend: Backend
    checkpoint: str = ""
    state: Literal["queued", "running", "released"] = "queued"

    def started(self) -> None:
        """Our prompt is executing: the queued place is free for the next job."""
        if self.state == "queued":
            self.state = "running"
            self.pool.changed()

    def release(self, *, success: bool = True) -> None:
        """Give the capacity back; on success the backend now holds this checkpoint."""
        if self.state == "released":
            return
        self.state = "released"
        with contextlib.suppress(ValueError):
            self.backend.slots.remove(self)
        if success and self.checkpoint:
            self.backend.last_checkpoint = self.checkpoint
        self.pool.changed()


class ComfyPool:
    """The ComfyUI backends named in ``settings.comfyui_urls``."""

    def __init__(
        self,
        urls: Iterable[str],
        *,
        timeout: float = 1800.0,
        request_timeout: float = 30.0,
        poll_interval: float = 2.0,
        unreachable_grace: float = 10.0,
        backoff: tuple[float, float] = (5.0, 60.0),
    ) -> None:
        self.timeout = timeout
        self.backoff = backoff
        self.backends = [
            Backend(
                url=url.rstrip("/"),
                client=ComfyClient(
                    url,
                    timeout=timeout,
                    request_timeout=request_timeout,
                    poll_interval=poll_interval,
                    unreachable_grace=unreachable_grace,
                ),
                index=i,
            )
            for i, url in enumerate(dict.fromkeys(u.rstrip("/") for u in urls))
        ]
        self._changed: asyncio.Event | None = None
        self._changed_loop: asyncio.AbstractEventLoop | None = None

    def changed(self) -> None:
        """Wake everyone waiting for capacity (a slot moved, a backend went down or came back)."""
        if self._changed is not None:
            self._changed.set()
            self._changed = None  # later waiters get a fresh event

    async def wait_for_change(self, timeout: float) -> None:
        """Sleep until capacity may have changed (or ``timeout`` passes)."""
        loop = asyncio.get_running_loop()
        if self._changed is None or self._changed_loop is not loop:
            self._changed, self._changed_loop = asyncio.Event(), loop
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)

    def up(self) -> list[Backend]:
        """Backends free for renders: not parked by a back-off (retried once it ends), not held by training."""
        now = time.monotonic()
        return [b for b in self.backends if now >= b.down_until and not b.held_by]

    @contextlib.asynccontextmanager
    async def hold(self, owner: str, *, among: Iterable[Backend], timeout: float) -> AsyncIterator[Backend]:
        """Take an idle one of ``among`` out of rendering for the block (a training job owns its GPU)."""
        deadline = time.monotonic() + timeout
        while True:
            idle = [b for b in among if not b.held_by and not b.slots and time.monotonic() >= b.down_until]
            if idle:
                backend = min(idle, key=lambda b: (b.foreign_load, b.index))
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransientEngineError(f"no ComfyUI backend was free for training within {timeout:g} s")
            await self.wait_for_change(min(remaining, 1.0))
        backend.held_by = owner
        self.changed()
        try:
            yield backend
        finally:
            backend.held_by = ""
            self.changed()

    def choose(self, checkpoint: str = "", *, among: Iterable[Backend] | None = None) -> Slot | None:
        """Reserve a queued slot on the best backend with room, or None when all are busy.

        Order: idle before busy (counting other users' prompts), then the same checkpoint (no model
        switch), then the lighter load, then configuration order.
        """
        candidates = [b for b in (self.up() if among is None else among) if b.has_room()]
        if not candidates:
            return None
        best = min(candidates, key=lambda b: self._rank(b, checkpoint))
        slot = Slot(pool=self, backend=best, checkpoint=checkpoint)
        best.slots.append(slot)
        return slot

    @staticmethod
    def _rank(backend: Backend, checkpoint: str) -> tuple[bool, bool, int, int, int]:
        load = len(backend.slots)
        busy = load + backend.foreign_load > 0
        mismatch = bool(checkpoint) and backend.expected_checkpoint != checkpoint
        return busy, mismatch, load, backend.foreign_load, backend.index

    def mark_down(self, backend: Backend, error: str, kind: FailureKind = "unreachable") -> None:
        """Park a failing backend: 5 s, doubling per consecutive failure up to 60 s."""
        backend.failures += 1
        first, cap = self.backoff
        backend.down_until = time.monotonic() + min(cap, first * 2 ** (backend.failures - 1))
        backend.reachable = False
        backend.last_error, backend.last_failure = error, kind
        backend.uploaded.clear()  # a restarted or replaced machine may not have our inputs any more
        self.changed()

    def record_failure(self, backend: Backend, error: BaseException) -> FailureKind:
        """Show the failure on the backend's status in its own words; park the backend if it is the culprit."""
        kind = failure_kind(error)
        if kind in CONNECTION_KINDS:
            self.mark_down(backend, str(error), kind)
        else:
            backend.last_error, backend.last_failure = str(error), kind
        backend.probe_failed = False
        return kind

    def mark_up(self, backend: Backend) -> None:
        """A prompt succeeded here: the backend is well again."""
        backend.reachable = True
        backend.failures = 0
        backend.down_until = 0.0
        backend.last_error, backend.last_failure, backend.probe_failed = "", None, False

    def reachable(self) -> list[Backend]:
        """Backends not parked and not known to be unreachable (never probed counts as reachable)."""
        return [b for b in self.up() if b.reachable is not False]

    async def refresh(self, *, wait: float = PROBE_WAIT) -> list[BackendStatus]:
        """Probe every backend's devices and queue concurrently; returns ``status()`` within ``wait`` seconds.

        A backend that has not answered by then shows as timed out, with the age of its last real answer;
        its probe goes on in the background (up to ``PROBE_LIMIT``) and later callers share it.
        """
        probes = [self._probe(b) for b in self.backends]
        # A probe already waiting since an earlier call counts its time so far: a backend known to hang
        # does not cost every caller another full wait.
        floor = time.monotonic() + min(wait, PROBE_GRACE)  # a stuck probe may just be answering now
        starts = zip(self.backends, probes, strict=True)
        deadlines = {probe: max(floor, backend.probe_started + wait) for backend, probe in starts}
        pending = {probe for probe in probes if not probe.done()}
        while pending:
            remaining = max(deadlines[probe] for probe in pending) - time.monotonic()
            if remaining <= 0:
                break
            _, pending = await asyncio.wait(pending, timeout=remaining, return_when=asyncio.FIRST_COMPLETED)
        for backend, probe in zip(self.backends, probes, strict=True):
            if not probe.done():
                backend.reachable, backend.probe_failed = False, True
                backend.last_failure = "timed_out"
                backend.last_error = (
                    f"ComfyUI at {backend.url} timed out: no answer to the status probe within {wait:g} s"
                )
        self.changed()
        return self.status()

    def _probe(self, backend: Backend) -> asyncio.Task[None]:
        loop = asyncio.get_running_loop()
        probe = backend.probe
        if probe is None or probe.done() or probe.get_loop() is not loop:
            backend.probe_started = time.monotonic()
            probe = backend.probe = loop.create_task(self._probe_one(backend))
        return probe

    async def _probe_one(self, backend: Backend) -> None:
        client = backend.client
        try:
            stats, queue = await asyncio.gather(
                client.system_stats(timeout=PROBE_LIMIT), client.queue(timeout=PROBE_LIMIT)
            )
        except EngineError as error:
            backend.reachable, backend.probe_failed = False, True
            backend.last_error, backend.last_failure = str(error), failure_kind(error)
            return
        finally:
            backend.probed_at = time.monotonic()
        backend.reachable = True
        # An answer settles what a probe saw and a refused connection; a prompt that hung, ran out of memory
        # or was rejected stays on the status (and a hung one keeps its back-off) until a prompt succeeds here.
        if backend.probe_failed or backend.last_failure == "unreachable":
            backend.failures, backend.down_until = 0, 0.0
            backend.last_error, backend.last_failure, backend.probe_failed = "", None, False
        device: dict[str, Any] = next(iter(stats.get("devices") or []), {})
        backend.device = str(device.get("name", ""))
        backend.vram_total = _int(device.get("vram_total"))
        backend.vram_free = _int(device.get("vram_free"))
        backend.server_running, backend.server_pending = len(queue.running), len(queue.pending)

    def status(self) -> list[BackendStatus]:
        """Per backend: url, reachable, running/queued (ours, or the server's when larger), VRAM, device."""
        now = time.monotonic()
        return [
            BackendStatus(
                url=b.url,
                reachable=b.reachable,
                running=max(b.running, b.server_running),
                queued=max(b.queued, b.server_pending),
                vram_total=b.vram_total,
                vram_free=b.vram_free,
                device=b.device,
                last_checkpoint=b.last_checkpoint,
                last_error=b.last_error,
                last_failure=b.last_failure,
                checked_age=None if b.probed_at is None else round(now - b.probed_at, 1),
                retry_in=round(max(0.0, b.down_until - now), 1),
                held_by=b.held_by,
            )
            for b in self.backends
        ]

    def find(self, predicate: Callable[[Backend], bool]) -> list[Backend]:
        return [b for b in self.backends if predicate(b)]

    async def schemas(self, *, max_age: float | None = None) -> list[NodeSchemas]:
        """``/object_info`` of every backend that answers (cached per backend); raises if none does."""

        async def one(backend: Backend) -> NodeSchemas | None:
            try:
                return await backend.client.object_info(max_age=max_age)
            except BackendUnavailable as error:
                self.record_failure(backend, error)
                return None

        parked = time.monotonic()
        live = [b for b in self.backends if parked >= b.down_until]  # a held backend still answers
        found = [s for s in await asyncio.gather(*(one(b) for b in live)) if s is not None]
        if not found:
            raise TransientEngineError(f"no ComfyUI backend is reachable: {describe_down(self)}")
        return found

    async def reachable_schemas(self, *, max_age: float = 60.0, wait: float = PROBE_WAIT) -> dict[str, NodeSchemas]:
        """``/object_info`` (cached) of the backends the last probe reached, by URL; skips any slower than ``wait``."""

        async def one(backend: Backend) -> NodeSchemas | None:
            with contextlib.suppress(EngineError, TimeoutError):
                return await asyncio.wait_for(asyncio.shield(backend.client.object_info(max_age=max_age)), wait)
            return None

        backends = [b for b in self.reachable() if b.reachable]
        found = await asyncio.gather(*(one(b) for b in backends))
        return {b.url: s for b, s in zip(backends, found, strict=True) if s is not None}

    async def aclose(self) -> None:
        await asyncio.gather(*(b.client.aclose() for b in self.backends))


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) else None


def describe_down(pool: ComfyPool) -> str:
    """Each backend with the failure that keeps it out ("http://a (timed out: …)")."""
    if not pool.backends:
        return "none configured (set ANIME_STUDIO_COMFYUI_URLS)"
    return "; ".join(
        f"{b.url} ({LABELS[b.last_failure] + ': ' if b.last_failure else ''}{b.last_error or 'down'})"
        for b in pool.backends
    )
