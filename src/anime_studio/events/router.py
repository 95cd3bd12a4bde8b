"""``GET /api/lora/events``: the event stream as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from anime_studio.deps import CurrentUser
from anime_studio.events.bus import Event, EventBus, get_bus

router = APIRouter(tags=["events"])

HEARTBEAT_SECONDS = 15.0


def _frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.name}\ndata: {json.dumps(event.to_json())}\n\n"


async def _stream(
    request: Request, bus: EventBus, patterns: tuple[str, ...], last_event_id: str | None
) -> AsyncIterator[str]:
    async with bus.subscribe(*patterns) as subscription:
        yield "retry: 3000\n\n"
        for event in bus.recent_after(last_event_id, patterns):
            yield _frame(event)
        while not await request.is_disconnected():
            try:
                event = await asyncio.wait_for(subscription.get(), timeout=HEARTBEAT_SECONDS)
            except TimeoutError:
                yield ": keep-alive\n\n"
                continue
            yield _frame(event)


@router.get("/events", response_class=StreamingResponse)
async def stream_events(
    request: Request,
    _: CurrentUser,
    names: Annotated[list[str] | None, Query(max_length=50, description="event names or prefixes (run.*)")] = None,
    last_event_id: Annotated[str | None, Header(max_length=64)] = None,
    since: Annotated[str | None, Query(alias="last_event_id", max_length=64)] = None,
) -> StreamingResponse:
    """Stream studio events (runs, generations, approvals) as Server-Sent Events.

    Reconnecting clients get what they missed from ``Last-Event-ID`` (the browser's own retries) or
    ``?last_event_id=`` (a page that reopens the stream itself).
    """
    last_event_id = last_event_id or since
    return StreamingResponse(
        _stream(request, get_bus(), tuple(names or ()), last_event_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
