"""Run one workflow somewhere in the pool: choose, upload, submit, wait, download — with fail-over.

``PoolRenderer`` is the in-process ``Renderer``. If a backend dies mid-run (connection refused, or the
socket drops and the restarted server no longer knows the prompt) it is parked and the job runs again
on another backend, a bounded number of times; with no backend up it raises ``TransientEngineError``.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from anime_studio.engines.base import EngineError, Progress, TransientEngineError, no_progress
from anime_studio.engines.comfyui.errors import BackendUnavailable, OutOfMemory, PromptLost
from anime_studio.engines.comfyui.pool import Backend, ComfyPool, Slot
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.workflows.outputs import Kind, output_refs

RETRY_ELSEWHERE = (BackendUnavailable, PromptLost, OutOfMemory)


@dataclass(frozen=True)
class RenderJob:
    """A workflow plus the local files its LoadImage nodes reference (``remote name → path``)."""

    workflow: dict[str, Any]
    uploads: Mapping[str, Path] = field(default_factory=dict)
    checkpoint: str = ""
    """The checkpoint the workflow loads, for backend affinity."""
    label: str = ""


@dataclass(frozen=True)
class RenderedFile:
    node_id: str
    filename: str
    kind: Kind
    data: bytes


@dataclass(frozen=True)
class RenderOutput:
    backend: str
    prompt_id: str
    files: tuple[RenderedFile, ...]
    elapsed: float

    def first(self, kind: Kind) -> RenderedFile:
        """The first output file of a kind; ``EngineError`` if the workflow produced none."""
        found = next((f for f in self.files if f.kind == kind), None)
        if found is None:
            kinds = ", ".join(sorted({f.kind for f in self.files})) or "nothing"
            raise EngineError(f"ComfyUI at {self.backend} produced no {kind} (got {kinds})")
        return found


class Renderer(Protocol):
    """Something that runs a ``RenderJob`` on a ComfyUI backend."""

    async def render(self, job: RenderJob, *, progress: Progress | None = None) -> RenderOutput: ...


def hashed_name(path: Path) -> str:
    """A content-addressed upload name (``as-<sha256 prefix><suffix>``): same bytes, same name, one upload."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:24]
    return f"as-{digest}{path.suffix.lower() or '.png'}"


async def hashed_name_async(path: Path) -> str:
    return await asyncio.to_thread(hashed_name, path)


class PoolRenderer:
    """Renders jobs on a ``ComfyPool`` (requirements checked per backend before anything is sent)."""

    def __init__(self, pool: ComfyPool, *, max_attempts: int = 3) -> None:
        self.pool = pool
        self.max_attempts = max_attempts

    async def render(self, job: RenderJob, *, progress: Progress | None = None) -> RenderOutput:
        """Run the job; retries on another backend when one dies under it."""
        report = progress or no_progress
        failures: list[str] = []
        excluded: set[str] = set()
        started = time.monotonic()
        for _ in range(self.max_attempts):
            slot = await self.acquire(job, excluded=excluded)
            try:
                return await self._run(slot, job, report, started)
            except RETRY_ELSEWHERE as error:
                slot.release(success=False)
                failures.append(str(error))
                if isinstance(error, OutOfMemory):
                    excluded.add(slot.backend.url)
                else:
                    self.pool.mark_down(slot.backend, str(error))
            finally:
                slot.release(success=False)  # no-op after a success or an explicit release
        raise TransientEngineError(f"gave up after {self.max_attempts} attempts: " + " | ".join(failures))

    async def acquire(self, job: RenderJob, *, excluded: set[str] | frozenset[str] = frozenset()) -> Slot:
        """Wait for room on a backend that can run the job; raises if none can (or none is up)."""
        deadline = time.monotonic() + self.pool.timeout
        while True:
            up = [b for b in self.pool.up() if b.url not in excluded]
            if not up:
                raise TransientEngineError("no ComfyUI backend is reachable: " + _down_summary(self.pool))
            eligible = await self._eligible(up, job)
            slot = self.pool.choose(job.checkpoint, among=eligible)
            if slot is not None:
                return slot
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TransientEngineError(f"no ComfyUI backend had room within {self.pool.timeout:g} s")
            await self.pool.wait_for_change(min(remaining, 1.0))

    async def _eligible(self, backends: list[Backend], job: RenderJob) -> list[Backend]:
        """Backends whose nodes and model files fit the job; raises the first reason if none fits."""
        results = await asyncio.gather(*(self._check(b, job) for b in backends))
        eligible = [b for b, error in zip(backends, results, strict=True) if error is None]
        problems = [error for error in results if isinstance(error, EngineError)]
        if not eligible and problems and all(not isinstance(e, BackendUnavailable) for e in problems):
            raise problems[0]
        return eligible

    async def _check(self, backend: Backend, job: RenderJob) -> EngineError | None:
        try:
            for max_age in (None, 30.0):  # a cached file list may predate a model just installed
                schemas = await backend.client.object_info(max_age=max_age)
                report = check_workflow(job.workflow, schemas, uploads=job.uploads, url=backend.url)
                if report.ok:
                    return None
            report.raise_if_missing()
        except BackendUnavailable as error:
            self.pool.mark_down(backend, str(error))
            return error
        except EngineError as error:
            return error
        return None

    async def _run(self, slot: Slot, job: RenderJob, progress: Progress, started: float) -> RenderOutput:
        backend = slot.backend
        client = backend.client
        await progress(0.01, f"uploading inputs to {backend.url}")
        await self.upload(backend, job)
        prompt_id = str(uuid.uuid4())  # ours from the start, so a cancel during submit can still withdraw it
        try:
            prompt_id = await client.submit(job.workflow, prompt_id=prompt_id)
            await progress(0.03, f"queued on {backend.url}")
            await client.wait_started(prompt_id)
            slot.started()
            entry = await client.wait(prompt_id, _scaled(progress, 0.05, 0.95))
        except asyncio.CancelledError:
            await _abandon(backend, prompt_id)
            raise
        files = await self.download(backend, entry)
        slot.release(success=True)
        self.pool.mark_up(backend)
        await progress(1.0, f"done on {backend.url}")
        return RenderOutput(backend=backend.url, prompt_id=prompt_id, files=files, elapsed=time.monotonic() - started)

    async def upload(self, backend: Backend, job: RenderJob) -> None:
        """Upload the job's inputs this backend does not have yet (names are content hashes)."""
        for name, path in job.uploads.items():
            if name not in backend.uploaded:
                stored = await backend.client.upload_image(path, name, overwrite=True)
                backend.uploaded.add(stored)

    @staticmethod
    async def download(backend: Backend, entry: dict[str, Any]) -> tuple[RenderedFile, ...]:
        """Fetch every saved output of a finished prompt."""
        refs = output_refs(entry)
        blobs = await asyncio.gather(*(backend.client.view(r.filename, r.subfolder, r.type) for r in refs))
        return tuple(RenderedFile(r.node_id, r.filename, r.kind, data) for r, data in zip(refs, blobs, strict=True))


def _scaled(progress: Progress, start: float, end: float) -> Progress:
    async def scaled(fraction: float, message: str) -> None:
        await progress(start + (end - start) * fraction, message)

    return scaled


async def _abandon(backend: Backend, prompt_id: str) -> None:
    """The caller was cancelled: take our prompt off the backend (best effort)."""
    with contextlib.suppress(EngineError, asyncio.CancelledError):
        await asyncio.shield(backend.client.delete_queued([prompt_id]))
        await asyncio.shield(backend.client.interrupt(prompt_id))


def _down_summary(pool: ComfyPool) -> str:
    if not pool.backends:
        return "none configured (set ANIME_STUDIO_COMFYUI_URLS)"
    return "; ".join(f"{b.url} ({b.last_error or 'down'})" for b in pool.backends)
