"""``GET /api/lora/health``: open liveness and database check."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel
from sqlalchemy import text

from anime_studio import __version__
from anime_studio.deps import DatabaseDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    version: str
    database: Literal["ok", "unreachable"]


@router.get("/health", response_model=Health)
async def health(db: DatabaseDep, response: Response) -> Health:
    """Is the studio up and its database reachable? (open: no authentication)"""
    try:
        async with db.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))
        database: Literal["ok", "unreachable"] = "ok"
    except Exception:
        database = "unreachable"
        response.status_code = 503
    return Health(status="ok" if database == "ok" else "degraded", version=__version__, database=database)
