"""The learning system's reaction to decisions: re-check the character's quality drift."""

from __future__ import annotations

from anime_studio.db.session import Database
from anime_studio.events import names
from anime_studio.events.bus import Event, EventBus
from anime_studio.learning import service


class DriftChecker:
    """Checks each character at most once at a time; a burst of decisions (a batch approval) costs one more check."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._running: set[int] = set()
        self._again: set[int] = set()

    async def __call__(self, event: Event) -> None:
        character_id = event.data.get("character_id")
        if not isinstance(character_id, int):
            return
        if character_id in self._running:
            self._again.add(character_id)
            return
        self._running.add(character_id)
        try:
            while True:
                self._again.discard(character_id)
                async with self.db.transaction() as session:
                    await service.check_drift(session=session, character_id=character_id)
                if character_id not in self._again:
                    break
        finally:
            self._running.discard(character_id)


_installed: dict[int, DriftChecker] = {}


def install(bus: EventBus, db: Database) -> None:
    """React to approvals and rejections on ``bus`` (once per bus; a new runtime's database replaces the old)."""
    checker = _installed.get(id(bus))
    if checker is not None:
        checker.db = db
        return
    checker = _installed[id(bus)] = DriftChecker(db)
    bus.on(names.IMAGE_APPROVED, names.IMAGE_REJECTED)(checker)
