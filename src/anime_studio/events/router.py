"""``GET /api/lora/events``: the event stream as Server-Sent Events."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from anime_studio.deps import CurrentUser, SettingsDep, get_database, resolve_credentials
from anime_studio.errors import Unauthorized
from anime_studio.events.bus import Event, EventBus, get_bus

router = APIRouter(tags=["events"])
log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 15.0


def _frame(event: Event) -> str:
    return f"id: {event.id}\nevent: {event.name}\ndata: {json.dumps(event.to_json())}\n\n"


async def _still_signed_in(request: Request) -> bool:
    """The stream's credentials still resolve: token not revoked or expired, session open, user active."""
    async with get_database(request).sessionmaker() as session:
        try:
            await resolve_credentials(request, session)
        except Unauthorized:
            return False
        finally:
            await session.commit()  # keeps a token's last-used time
    return True


async def _stream(
    request: Request, bus: EventBus, patterns: tuple[str, ...], last_event_id: str | None, recheck: float
) -> AsyncIterator[str]:
    """Events as they come, keep-alives when idle; ends when the client leaves or its credentials stop holding."""
    async with bus.subscribe(*patterns) as subscription:
        yield "retry: 3000\n\n"
        for event in bus.recent_after(last_event_id, patterns):
            yield _frame(event)
        last_sent = time.monotonic()
        next_check = last_sent + recheck
        while not await request.is_disconnected():
            now = time.monotonic()
            if now >= next_check:
                if not await _still_signed_in(request):
                    log.info("closing an event stream: its credentials were revoked or expired")
                    return
                next_check = now + recheck
            wait = max(0.0, min(next_check, last_sent + HEARTBEAT_SECONDS) - now)
            try:
                event = await asyncio.wait_for(subscription.get(), timeout=wait)
            except TimeoutError:
                if time.monotonic() - last_sent >= HEARTBEAT_SECONDS:
                    yield ": keep-alive\n\n"
                    last_sent = time.monotonic()
                continue
            yield _frame(event)
            last_sent = time.monotonic()


@router.get("/events", response_class=StreamingResponse)
async def stream_events(
    request: Request,
    _: CurrentUser,
    settings: SettingsDep,
    names: Annotated[list[str] | None, Query(max_length=50, description="event names or prefixes (run.*)")] = None,
    last_event_id: Annotated[str | None, Header(max_length=64)] = None,
    since: Annotated[str | None, Query(alias="last_event_id", max_length=64)] = None,
) -> StreamingResponse:
    """Stream studio events (runs, generations, approvals) as Server-Sent Events.

    Reconnecting clients get what they missed from ``Last-Event-ID`` (the browser's own retries) or
    ``?last_event_id=`` (a page that reopens the stream itself). The stream re-checks its
    credentials every ``events_recheck_seconds`` and ends once the token is revoked, the session
    closed or the user deactivated.
    """
    last_event_id = last_event_id or since
    return StreamingResponse(
        _stream(request, get_bus(), tuple(names or ()), last_event_id, settings.events_recheck_seconds),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
