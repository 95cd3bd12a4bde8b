"""How generation uses the promoted LoRA versions of the characters in a picture: loaders, trigger words, provenance."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters.prompts import ComposedPrompt
from anime_studio.engines.image.base import LoraSpec
from anime_studio.lora.models import LoraVersion


@dataclass(frozen=True)
class LoraUse:
    specs: tuple[LoraSpec, ...] = ()
    triggers: tuple[str, ...] = ()
    records: tuple[dict[str, Any], ...] = ()

    def prompt(self, composed: ComposedPrompt) -> ComposedPrompt:
        """The prompt with each version's trigger word in front (once)."""
        missing = [t for t in self.triggers if t and t not in composed.positive]
        if not missing:
            return composed
        return replace(composed, positive=", ".join([*missing, composed.positive]))


async def active_versions(*, session: AsyncSession, character_ids: Iterable[int]) -> dict[int, LoraVersion]:
    """The promoted version of each character that has one."""
    ids = list(set(character_ids))
    if not ids:
        return {}
    rows = await session.scalars(
        select(LoraVersion).where(LoraVersion.character_id.in_(ids), LoraVersion.active.is_(True))
    )
    return {row.character_id: row for row in rows}


def use(versions: Iterable[LoraVersion], *, strength: float) -> LoraUse:
    """LoraLoader specs at the style's strength, trigger words and provenance records, in the given order."""
    chosen = list(versions)
    files = [Path(v.path).name for v in chosen]
    return LoraUse(
        specs=tuple(LoraSpec(name=f, strength_model=strength, strength_clip=strength) for f in files),
        triggers=tuple(v.trigger_word for v in chosen if v.trigger_word),
        records=tuple(
            {"version_id": v.id, "name": v.name, "file": f, "strength": strength, "trigger_word": v.trigger_word}
            for v, f in zip(chosen, files, strict=True)
        ),
    )
