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
from pathlib import Path
from typing import Any

from anime_studio.engines.base import EngineError, Progress, TransientEngineError, no_progress
from anime_studio.engines.comfyui.errors import BackendUnavailable
from anime_studio.engines.comfyui.pool import Backend, ComfyPool, Slot, describe_down
from anime_studio.engines.comfyui.render_job import RenderedFile, Renderer, RenderJob, RenderOutput
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.retry import Attempts
from anime_studio.engines.comfyui.waiting import wait, wait_started
from anime_studio.engines.comfyui.workflows.outputs import output_refs

__all__ = ["PoolRenderer", "RenderJob", "RenderOutput", "RenderedFile", "Renderer", "hashed_name"]


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
        """Run the job; retries what a retry can fix (see ``retry``), raises the real failure otherwise."""
        report = progress or no_progress
        attempts = Attempts(self.pool, job, self.max_attempts)
        started = time.monotonic()
        for _ in range(attempts.max_attempts):
            try:
                slot = await self.acquire(attempts.job, excluded=attempts.excluded, only=attempts.only)
            except TransientEngineError as error:
                raise attempts.nowhere(error) from error
            try:
                output = await self._run(slot, attempts.job, report, started)
            except EngineError as error:
                slot.release(success=False)
                await attempts.failed(slot.backend, error)
                continue
            finally:
                slot.release(success=False)  # no-op after a success or an explicit release
            return attempts.result(output)
        raise attempts.final()

    async def acquire(
        self, job: RenderJob, *, excluded: set[str] | frozenset[str] = frozenset(), only: set[str] | None = None
    ) -> Slot:
        """Wait for room on a backend that can run the job; raises if none can (or none is up)."""
        deadline = time.monotonic() + self.pool.timeout
        while True:
            up = [b for b in self.pool.up() if b.url not in excluded and (only is None or b.url in only)]
            if not up:
                raise TransientEngineError("no ComfyUI backend is reachable: " + describe_down(self.pool))
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
            self.pool.record_failure(backend, error)
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
            await wait_started(client, prompt_id, timeout=self.pool.timeout)
            slot.started()
            entry = await wait(client, prompt_id, _scaled(progress, 0.05, 0.95), timeout=self.pool.timeout)
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
