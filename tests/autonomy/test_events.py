"""The six spec events, emitted where they happen, reach another process through the bridge and the SSE stream."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from anime_studio.db.server import libpq_url
from anime_studio.events import names
from anime_studio.events.bridge import PgBridge
from anime_studio.events.bus import EventBus
from anime_studio.runtime import Runtime
from tests.autonomy.helpers import APPROVE_ALL, configure, human_character, settled, start
from tests.factories import API, Studio
from tests.test_events import _frames, _open_sse


async def _loop_and_feedback(runtime: Runtime, studio: Studio) -> int:
    """One replenishment round, then a person approves what waits and rejects one image with a reason."""
    hana = await human_character(studio)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0)
    await start(studio, "hana", target=3)
    await settled(runtime)
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    ids = [item["id"] for item in view["items"]]
    for status, chosen, reason in (("approved", ids, ""), ("rejected", ids[:1], "blurry")):
        decision = {"asset_ids": chosen, "status": status, "reason": reason}
        assert (await studio.reviewer.post(f"{API}/datasets/{hana['id']}/review", json=decision)).status_code == 200
    await settled(runtime)
    return int(hana["id"])


@pytest.mark.parametrize("name", names.SPEC_EVENTS)
async def test_spec_event_reaches_another_process(
    name: str, runtime: Runtime, studio: Studio, worker: object, database_url: str
) -> None:
    other = EventBus()
    bridge = PgBridge(other, libpq_url(database_url))
    await bridge.start()
    try:
        async with other.subscribe(name) as received:
            character_id = await _loop_and_feedback(runtime, studio)
            event = await asyncio.wait_for(received.get(), 5)
    finally:
        await bridge.stop()
    assert event.name == name and event.data["character_id"] == character_id
    if name == names.FEEDBACK_RECORDED:
        assert event.data["reason"] == "blurry" and event.data["status"] == "rejected"
    if name == names.REGENERATION_QUEUED:
        assert event.data["count"] == 3 and event.data["run_id"]


async def test_regeneration_queued_is_on_the_sse_stream(
    app: Any, runtime: Runtime, studio: Studio, worker: object
) -> None:
    chunks, task = await _open_sse(app, studio.reviewer.headers, "names=regeneration.queued")
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        await _loop_and_feedback(runtime, studio)
        frame = (await _frames(chunks, 1))[0]
    finally:
        task.cancel()
    assert frame["name"] == "regeneration.queued" and frame["data"]["count"] == 3
