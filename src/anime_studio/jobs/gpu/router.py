"""``GET /api/lora/gpu/status``: each GPU backend's reachability, queue and VRAM."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import func, select

from anime_studio.deps import CurrentUser, SessionDep
from anime_studio.engines.comfyui.pool import BackendStatus
from anime_studio.engines.registry import comfyui_pool
from anime_studio.jobs import service as jobs
from anime_studio.jobs.gpu.models import ACTIVE, GpuRender
from anime_studio.jobs.gpu.queues import queue_name, uses_gpu_queues

router = APIRouter(tags=["gpu"])


class GpuBackend(BackendStatus):
    queue: str
    waiting_in_queue: int = 0


class GpuStatus(BaseModel):
    scheduler: str
    backends: list[GpuBackend]
    runs: dict[str, int]
    note: str = ""


@router.get("/gpu/status", response_model=GpuStatus)
async def gpu_status(request: Request, _: CurrentUser, session: SessionDep) -> GpuStatus:
    """Per backend: reachable, running / queued prompts, VRAM, device; plus the studio's runs by status."""
    settings = request.app.state.settings
    runs = await jobs.counts_by_status(session=session)
    if not settings.comfyui_urls:
        return GpuStatus(
            scheduler="none",
            backends=[],
            runs=runs,
            note="no ComfyUI backends configured: the embedded CPU engines are in use (set ANIME_STUDIO_COMFYUI_URLS)",
        )
    statuses = await comfyui_pool(settings).refresh()
    waiting = dict(
        (
            await session.execute(
                select(GpuRender.backend, func.count()).where(GpuRender.status.in_(ACTIVE)).group_by(GpuRender.backend)
            )
        ).all()
    )
    backends = [
        GpuBackend(**s.model_dump(), queue=queue_name(s.url), waiting_in_queue=int(waiting.get(s.url, 0)))
        for s in statuses
    ]
    scheduler = "queue" if uses_gpu_queues(settings) else "local"
    return GpuStatus(scheduler=scheduler, backends=backends, runs=runs)
