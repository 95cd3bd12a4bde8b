"""Driving the replenishment loop through the API, as a user would."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import func, select

from anime_studio.autonomy.models import ReplenishmentBatch
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project

LOOP = f"{API}/replenishment"
SMALL_STYLE = {"width": 256, "height": 160, "fps": 12}
APPROVE_ALL = {"auto_reject": 0.0, "auto_approve": 0.01}
REJECT_ALL = {"auto_reject": 0.99, "auto_approve": 1.0}
LEAVE_PENDING = {"auto_reject": 0.0, "auto_approve": 1.0}


async def human_character(studio: Studio, name: str = "Hana", project: dict[str, Any] | None = None) -> dict[str, Any]:
    if project is None:
        project = await create_project(studio.editor, name=f"Loop {name}")
        await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    return await create_character(
        studio.editor, project["id"], name=name, appearance_data={"species": "human", "key_colors": {"coat": "#f2c14e"}}
    )


async def configure(studio: Studio, gates: dict[str, float], **guards: int) -> None:
    assert (await studio.editor.put(f"{API}/quality/gates", json=gates)).status_code == 200
    if guards:
        response = await studio.editor.put(f"{LOOP}/settings", json=guards)
        assert response.status_code == 200, response.text


async def start(studio: Studio, slug: str, target: int) -> None:
    response = await studio.editor.post(f"{LOOP}/target", params={"target": target, "character_slug": slug})
    assert response.status_code == 200, response.text
    response = await studio.editor.post(f"{LOOP}/toggle", params={"enabled": "true"})
    assert response.status_code == 200, response.text


async def settled(runtime: Runtime, timeout: float = 60) -> None:
    """Wait until no loop run is waiting to start now or running (a cooldown's future check does not count)."""
    await runtime.bus.drain()  # reactions to the last events have queued their checks
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        async with runtime.db.sessionmaker() as session:
            busy = await session.scalar(
                select(func.count())
                .select_from(Run)
                .where(
                    Run.kind.like("replenish.%"),
                    Run.status.in_([RunStatus.queued, RunStatus.running]),
                    Run.message != "waiting for the cooldown",
                )
            )
        if not busy:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the replenishment loop did not settle")
        await asyncio.sleep(0.1)


async def batch_sizes(runtime: Runtime, character_id: int) -> list[int]:
    async with runtime.db.sessionmaker() as session:
        rows = await session.scalars(
            select(ReplenishmentBatch.size)
            .where(ReplenishmentBatch.character_id == character_id)
            .order_by(ReplenishmentBatch.id)
        )
        return list(rows.all())


async def character_status(studio: Studio, character_id: int) -> dict[str, Any]:
    status = (await studio.reviewer.get(f"{LOOP}/status")).json()
    return next(c for c in status["characters"] if c["character_id"] == character_id)


async def approve_pending(studio: Studio, character_id: int) -> int:
    """A person approves what the triage left for them (the storyboard's crowded frames are not solo)."""
    view = (await studio.reviewer.get(f"{API}/datasets/{character_id}", params={"status": "pending"})).json()
    ids = [item["id"] for item in view["items"]]
    if ids:
        decision = {"asset_ids": ids, "status": "approved", "reason": ""}
        response = await studio.reviewer.post(f"{API}/datasets/{character_id}/review", json=decision)
        assert response.status_code == 200, response.text
    return len(ids)
