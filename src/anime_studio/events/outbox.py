"""Transactional events: ``emit`` inside a unit of work; the event is published only if it commits."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from anime_studio.events.bus import get_bus

_KEY = "anime_studio.pending_events"


def emit(session: AsyncSession | Session, name: str, data: dict[str, Any] | None = None) -> None:
    sync = session.sync_session if isinstance(session, AsyncSession) else session
    sync.info.setdefault(_KEY, []).append((name, data or {}))


@sa_event.listens_for(Session, "after_commit")
def _publish_committed(session: Session) -> None:
    for name, data in session.info.pop(_KEY, []):
        get_bus().publish(name, data)


@sa_event.listens_for(Session, "after_rollback")
def _discard_rolled_back(session: Session) -> None:
    session.info.pop(_KEY, None)
