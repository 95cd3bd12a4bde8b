"""``/api/lora/engines`` and ``/api/lora/checkpoints``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import BaseModel

from anime_studio.deps import CurrentUser
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.registry import Engines
from anime_studio.system import service

router = APIRouter(tags=["system"])


class EnginesRead(BaseModel):
    engines: list[EngineStatus]


class Checkpoint(BaseModel):
    filename: str


class Checkpoints(BaseModel):
    engine: str
    checkpoints: list[Checkpoint]


def _engines(request: Request) -> Engines:
    engines: Engines = request.app.state.runtime.engines
    return engines


@router.get("/engines", response_model=EnginesRead)
async def engines(request: Request, _: CurrentUser) -> EnginesRead:
    """Which engine each kind uses, whether it is reachable, and what it has installed."""
    return EnginesRead(engines=await service.statuses(_engines(request)))


@router.get("/checkpoints", response_model=Checkpoints)
async def checkpoints(request: Request, _: CurrentUser) -> Checkpoints:
    """Checkpoint models the image engine offers (the Project tab's checkpoint choice)."""
    engines = _engines(request)
    names = await service.checkpoints(engines)
    return Checkpoints(engine=engines.image.name, checkpoints=[Checkpoint(filename=n) for n in names])
