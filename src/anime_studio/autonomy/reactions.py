"""The loop's trigger: a decision on an image of a character (approved, or rejected: the review backlog shrank)
makes a check of that character."""

from __future__ import annotations

from collections.abc import Callable

from anime_studio.autonomy import service
from anime_studio.autonomy.models import ReplenishmentCharacter
from anime_studio.characters.models import Character
from anime_studio.events import names
from anime_studio.events.bus import Event, get_bus
from anime_studio.jobs.context import JobRuntime


def install(runtime: JobRuntime) -> Callable[[], None]:
    """React to ``image.approved`` / ``image.rejected`` where they happened (once per event across processes)."""

    async def on_decided(event: Event) -> None:
        character_id = event.data.get("character_id")
        if not isinstance(character_id, int):
            return
        async with runtime.db.transaction() as session:
            if not (await service.settings(session=session)).enabled:
                return
            row = await session.get(ReplenishmentCharacter, character_id)
            character = await session.get(Character, character_id)
            if row is None or not row.active or character is None:
                return
            # While a batch is out, its review checks again when it ends: a check now would only wait.
            if not any(b.character_id == character_id for b in await service.active_batches(session=session)):
                await service.queue_check(session=session, character=character)

    bus = get_bus()
    bus.on(names.IMAGE_APPROVED, names.IMAGE_REJECTED, local_only=True)(on_decided)
    return lambda: bus.remove(on_decided)
