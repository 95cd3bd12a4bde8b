"""Memory follows every committed change: one hook at the commit point of every session, not a call per route.

``after_flush`` notes which tracked rows a unit of work created, changed or deleted; ``after_commit`` hands those
to this process's indexer (rolled-back work is forgotten). Rows changed by bulk ``UPDATE`` statements are not seen
here; the only ones in the studio renumber shots, which no indexed text depends on.
"""

from __future__ import annotations

from typing import Any, Protocol

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, UOWTransaction

from anime_studio.memory.documents import TRACKED, Ref

_KEY = "anime_studio.memory_refs"


class Sink(Protocol):
    def mark(self, refs: set[Ref], bind: object) -> None:
        """Take the refs a session committed through ``bind`` (its engine), if that is this sink's database."""
        ...


_sinks: list[Sink] = []


def attach(sink: Sink) -> None:
    _sinks.append(sink)


def detach(sink: Sink) -> None:
    if sink in _sinks:
        _sinks.remove(sink)


@sa_event.listens_for(Session, "after_flush")
def _note_changes(session: Session, flush: UOWTransaction) -> None:
    if not _sinks:
        return
    refs: set[Ref] = session.info.setdefault(_KEY, set())
    for row in (*session.new, *session.dirty, *session.deleted):
        kind = TRACKED.get(type(row))
        ref_id: Any = getattr(row, "id", None)
        if kind is not None and isinstance(ref_id, int):
            refs.add((kind, ref_id))


@sa_event.listens_for(Session, "after_commit")
def _hand_over(session: Session) -> None:
    refs: set[Ref] = session.info.pop(_KEY, set())
    if refs:
        for sink in list(_sinks):
            sink.mark(refs, session.bind)


@sa_event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_KEY, None)
