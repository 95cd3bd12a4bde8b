"""Ask every engine how it is, without letting a dead one hang the request."""

from __future__ import annotations

import asyncio
from typing import Protocol, cast

from anime_studio.engines.base import EngineStatus, Kind
from anime_studio.engines.registry import Engines

STATUS_TIMEOUT = 3.0


class _Reports(Protocol):
    name: str

    async def status(self) -> EngineStatus: ...


async def _status(kind: Kind, engine: _Reports) -> EngineStatus:
    name = str(getattr(engine, "name", type(engine).__name__))
    try:
        return await asyncio.wait_for(engine.status(), STATUS_TIMEOUT)
    except TimeoutError:
        return EngineStatus(kind=kind, name=name, reachable=False, detail=f"no answer within {STATUS_TIMEOUT:.0f} s")
    except Exception as error:
        return EngineStatus(kind=kind, name=name, reachable=False, detail=f"{type(error).__name__}: {error}")


async def statuses(engines: Engines) -> list[EngineStatus]:
    """Status of each configured engine, checked concurrently with a timeout each."""
    reports = [(kind, cast(_Reports, engine)) for kind, engine in engines.by_kind().items()]
    return list(await asyncio.gather(*(_status(kind, engine) for kind, engine in reports)))


async def checkpoints(engines: Engines) -> list[str]:
    """Checkpoints the image engine can use (empty if it does not answer in time)."""
    try:
        return await asyncio.wait_for(engines.image.models(), STATUS_TIMEOUT)
    except Exception:
        return []
