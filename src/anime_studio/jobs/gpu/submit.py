"""The queue job of a GPU backend: submit one prompt and hold the queue until that prompt is executing."""

from __future__ import annotations

import procrastinate

from anime_studio.engines.base import EngineError
from anime_studio.engines.comfyui.queued import submit_and_hold
from anime_studio.engines.registry import comfyui_pool
from anime_studio.jobs.context import JobRuntime
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.jobs.gpu.store import fail, job_of, mark, now


async def gpu_submit(context: procrastinate.JobContext, render_id: int) -> None:
    """Upload + submit; return once the prompt runs, so this backend's next job submits right behind it."""
    runtime: JobRuntime = context.additional_context["runtime"]
    async with runtime.db.sessionmaker() as session:
        row = await session.get(GpuRender, render_id)
    if row is None or row.status != "queued":
        return  # the caller gave up (cancelled, or retried elsewhere) before its turn came

    async def submitted(prompt_id: str) -> None:
        await mark(runtime.db, render_id, "submitted", prompt_id=prompt_id, submitted_at=now())

    try:
        await submit_and_hold(comfyui_pool(runtime.settings), row.backend, job_of(row), submitted)
    except EngineError as error:
        await fail(runtime.db, render_id, error)
        return
    await mark(runtime.db, render_id, "running", only_from=("submitted",), started_at=now())
