"""LISTEN/NOTIFY bridge: events published in one process reach every other process on the database."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from contextlib import suppress
from uuid import uuid4

import psycopg

from anime_studio.db.outage import OutageLog
from anime_studio.events.bus import Event, EventBus

log = logging.getLogger(__name__)

CHANNEL = "anime_studio_events"
MAX_PAYLOAD = 7900  # PostgreSQL's NOTIFY payload limit is 8000 bytes


class PgBridge:
    def __init__(self, bus: EventBus, conninfo: str) -> None:
        self.bus = bus
        self.conninfo = conninfo
        self.origin = f"{os.getpid()}-{uuid4().hex[:8]}"
        self._outbox: asyncio.Queue[Event] = asyncio.Queue()
        self._tasks: list[asyncio.Task[None]] = []
        self.listening = asyncio.Event()
        # One line when the connection is lost, reminders at a falling rate: not a warning per second.
        self._outages = {
            "sender": OutageLog(log, "event bridge sender"),
            "listener": OutageLog(log, "event bridge listener"),
        }

    async def start(self) -> None:
        self.bus.forward = self._outbox.put_nowait
        self._tasks = [asyncio.create_task(self._listen()), asyncio.create_task(self._send())]
        await asyncio.wait_for(self.listening.wait(), timeout=30)

    async def stop(self) -> None:
        self.bus.forward = None
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with suppress(asyncio.CancelledError, Exception):
                await task

    def _encode(self, event: Event) -> str | None:
        payload = json.dumps({"origin": self.origin, "event": event.to_json()}, separators=(",", ":"))
        if len(payload.encode()) > MAX_PAYLOAD:
            log.warning("event %s too large to bridge (%d bytes); delivered locally only", event.name, len(payload))
            return None
        return payload

    async def _send(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as conn:
                    self._outages["sender"].recovered()
                    while True:
                        event = await self._outbox.get()
                        payload = self._encode(event)
                        if payload is not None:
                            await conn.execute("SELECT pg_notify(%s, %s)", (CHANNEL, payload))
            except (psycopg.Error, OSError) as exc:
                self._outages["sender"].failed(exc)
                await asyncio.sleep(1)

    async def _listen(self) -> None:
        while True:
            try:
                async with await psycopg.AsyncConnection.connect(self.conninfo, autocommit=True) as conn:
                    await conn.execute(f"LISTEN {CHANNEL}")
                    self._outages["listener"].recovered()
                    self.listening.set()
                    async for notification in conn.notifies():
                        self._receive(notification.payload)
            except (psycopg.Error, OSError) as exc:
                self._outages["listener"].failed(exc)
                await asyncio.sleep(1)

    def _receive(self, payload: str) -> None:
        try:
            message = json.loads(payload)
            if message.get("origin") == self.origin:
                return
            self.bus.deliver(Event.from_json(message["event"]), remote=True)
        except (ValueError, KeyError, TypeError):
            log.warning("ignoring malformed event payload")
