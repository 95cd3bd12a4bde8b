"""``/api/lora/engines``, ``/api/lora/checkpoints`` and ``/api/lora/colors``."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from anime_studio.deps import CurrentUser, EnginesDep
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.colors import ART_COLOURS
from anime_studio.system import service

router = APIRouter(tags=["system"])


class EnginesRead(BaseModel):
    engines: list[EngineStatus]


class Checkpoint(BaseModel):
    filename: str


class Checkpoints(BaseModel):
    engine: str
    checkpoints: list[Checkpoint]


@router.get("/engines", response_model=EnginesRead)
async def engines(engines: EnginesDep, _: CurrentUser) -> EnginesRead:
    """Which engine each kind uses, whether it is reachable, and what it has installed."""
    return EnginesRead(engines=await service.statuses(engines))


@router.get("/checkpoints", response_model=Checkpoints)
async def checkpoints(engines: EnginesDep, _: CurrentUser) -> Checkpoints:
    """Checkpoint models the image engine offers (the Project tab's checkpoint choice)."""
    names = await service.checkpoints(engines)
    return Checkpoints(engine=engines.image.name, checkpoints=[Checkpoint(filename=n) for n in names])


class ColorWords(BaseModel):
    words: dict[str, str]
    """word → ``#rrggbb``"""


@router.get("/colors", response_model=ColorWords)
async def color_words(_: CurrentUser) -> ColorWords:
    """The colour words the studio reads beyond CSS names (cream, golden, amber, …), so swatches paint them."""
    return ColorWords(words={word: "#{:02x}{:02x}{:02x}".format(*rgb) for word, rgb in sorted(ART_COLOURS.items())})
