"""Auto-correction's reaction to rejections (it does nothing for projects that have not switched it on)."""

from __future__ import annotations

from anime_studio.correction import service
from anime_studio.db.session import Database
from anime_studio.events import names
from anime_studio.events.bus import Event, EventBus


class AutoCorrector:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def __call__(self, event: Event) -> None:
        asset_id = event.data.get("asset_id")
        if not isinstance(asset_id, int):
            return
        # Every process that hears the event tries; the unique (image, strategy) row lets one of them queue it.
        async with self.db.transaction() as session:
            await service.auto_correct(session=session, asset_id=asset_id)


_installed: dict[int, AutoCorrector] = {}


def install(bus: EventBus, db: Database) -> None:
    """React to rejections on ``bus`` (once per bus; a new runtime's database replaces the old)."""
    corrector = _installed.get(id(bus))
    if corrector is not None:
        corrector.db = db
        return
    corrector = _installed[id(bus)] = AutoCorrector(db)
    bus.on(names.IMAGE_REJECTED)(corrector)
