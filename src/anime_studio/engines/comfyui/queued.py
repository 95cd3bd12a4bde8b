"""Render through per-backend job queues: the studio-wide GPU scheduler (DESIGN §5).

Each backend has its own durable queue, worked one job at a time across every worker process. A queue
job uploads and submits one prompt and returns as soon as that prompt starts executing, so the next
job submits immediately and waits behind it: every GPU always has one prompt running and the next one
queued, never more (no idle GPU, no queue flooding). The caller (a run) follows its own prompt to the
end and downloads the outputs. ``SubmitQueue`` is the durable side, provided by the jobs domain.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Protocol

from anime_studio.engines.base import EngineError, Progress, TransientEngineError, no_progress
from anime_studio.engines.comfyui.pool import Backend, ComfyPool, describe_down
from anime_studio.engines.comfyui.render import PoolRenderer, _abandon, _scaled
from anime_studio.engines.comfyui.render_job import RenderJob, RenderOutput
from anime_studio.engines.comfyui.retry import Attempts
from anime_studio.engines.comfyui.waiting import wait, wait_started


class SubmitQueue(Protocol):
    """The durable per-backend queues (one row + one queue job per prompt)."""

    async def enqueue(self, candidates: list[Backend], job: RenderJob) -> tuple[int, str]:
        """Choose the best of ``candidates`` and queue ``job`` there, atomically; returns (ticket, backend url)."""
        ...

    async def submitted(self, ticket: int, timeout: float) -> str:
        """Wait until the ticket's prompt is on the backend; its prompt id (raises the queue job's error)."""
        ...

    async def close(self, ticket: int, *, error: str | None) -> None: ...


class QueuedRenderer(PoolRenderer):
    """``Renderer`` whose submissions go through the per-backend queues of ``SubmitQueue``."""

    def __init__(self, pool: ComfyPool, queue: SubmitQueue, *, max_attempts: int = 3) -> None:
        super().__init__(pool, max_attempts=max_attempts)
        self.queue = queue

    async def render(self, job: RenderJob, *, progress: Progress | None = None) -> RenderOutput:
        """Queue on the best backend, follow the prompt, download; retries what a retry can fix (``retry``)."""
        report, started = progress or no_progress, time.monotonic()
        attempts = Attempts(self.pool, job, self.max_attempts)
        for _ in range(attempts.max_attempts):
            try:
                candidates = await self.candidates(attempts.job, attempts)
            except TransientEngineError as error:
                raise attempts.nowhere(error) from error
            ticket, url = await self.queue.enqueue(candidates, attempts.job)
            backend = next(b for b in self.pool.backends if b.url == url)
            try:
                output = await self._follow(backend, ticket, attempts.job, report, started)
            except EngineError as error:
                await self.queue.close(ticket, error=str(error))
                await attempts.failed(backend, error)
                continue
            except BaseException as error:
                await asyncio.shield(self.queue.close(ticket, error=f"{type(error).__name__}: {error}"))
                raise
            await self.queue.close(ticket, error=None)
            return attempts.result(output)
        raise attempts.final()

    async def candidates(self, job: RenderJob, attempts: Attempts) -> list[Backend]:
        """Up backends whose nodes and model files can run the job (the queue ranks them)."""
        up = attempts.allowed(self.pool.up())
        if not up:
            raise TransientEngineError("no ComfyUI backend is reachable: " + describe_down(self.pool))
        eligible = await self._eligible(up, job)
        if not eligible:
            raise TransientEngineError("no reachable ComfyUI backend can run this workflow right now")
        return eligible

    async def _follow(
        self, backend: Backend, ticket: int, job: RenderJob, progress: Progress, started: float
    ) -> RenderOutput:
        await progress(0.02, f"waiting for {backend.url}")
        prompt_id = await self.queue.submitted(ticket, self.pool.timeout)
        try:
            await progress(0.05, f"queued on {backend.url}")
            entry = await wait(backend.client, prompt_id, _scaled(progress, 0.05, 0.95), timeout=self.pool.timeout)
        except asyncio.CancelledError:
            await _abandon(backend, prompt_id)
            raise
        files = await self.download(backend, entry)
        backend.last_checkpoint = job.checkpoint or backend.last_checkpoint
        self.pool.mark_up(backend)
        await progress(1.0, f"done on {backend.url}")
        return RenderOutput(backend=backend.url, prompt_id=prompt_id, files=files, elapsed=time.monotonic() - started)


async def submit_and_hold(
    pool: ComfyPool, backend_url: str, job: RenderJob, on_submitted: Callable[[str], Awaitable[None]]
) -> str:
    """The queue job's work: upload, submit, report the prompt id, then hold until the prompt executes."""
    backend = next((b for b in pool.backends if b.url == backend_url), None)
    if backend is None:
        raise TransientEngineError(f"{backend_url} is no longer a configured ComfyUI backend")
    await PoolRenderer(pool).upload(backend, job)
    prompt_id = await backend.client.submit(job.workflow, prompt_id=str(uuid.uuid4()))
    await on_submitted(prompt_id)
    await wait_started(backend.client, prompt_id, timeout=pool.timeout)
    return prompt_id
