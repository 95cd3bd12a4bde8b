"""A character's target count is the dataset's own setting (``dataset.json``), so the Approve tab and the
loop never disagree about it."""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters.models import Character
from anime_studio.datasets import browse, captions
from anime_studio.media.paths import MediaPaths


async def read(*, session: AsyncSession, paths: MediaPaths, character: Character) -> int:
    folder = await browse.dataset_folder(session, paths, character)
    return (await asyncio.to_thread(captions.load_settings, folder, character)).target


async def write(*, session: AsyncSession, paths: MediaPaths, character: Character, target: int) -> None:
    """Change only the target; the trigger word and repeats stay as they are."""
    folder = await browse.dataset_folder(session, paths, character)
    current = await asyncio.to_thread(captions.load_settings, folder, character)
    # load_settings fills a blank trigger with the slug's; keep it blank so it follows the slug.
    trigger = "" if current.trigger == captions.default_trigger(character) else current.trigger
    updated = current.model_copy(update={"target": target, "trigger": trigger})
    await asyncio.to_thread(captions.save_settings, folder, updated)
