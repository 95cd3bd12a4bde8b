"""The Approve tab's reads and small writes: filtered listing, counts, reject reasons, captions, promotion."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters.models import Character
from anime_studio.datasets import captions
from anime_studio.datasets import service as datasets
from anime_studio.engines.vision import prompting
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.errors import Invalid, NotFound
from anime_studio.generation.requests import character_hint
from anime_studio.media.paths import MediaPaths
from anime_studio.projects.models import Project

SOURCES = ("upload", "video", "url", "generated")
GENERAL_REASONS = (
    "wrong colours",
    "not solo",
    "blurry",
    "bad anatomy",
    "cropped / incomplete",
    "off-model",
    "duplicate",
)
NON_HUMAN_REASONS = ("human face on a non-human", "human body on a non-human")


@dataclass
class Filters:
    statuses: list[AssetStatus] = field(default_factory=list)
    source: str | None = None
    min_score: float | None = None
    max_score: float | None = None
    failed_check: str | None = None
    limit: int = 500


async def dataset_folder(session: AsyncSession, paths: MediaPaths, character: Character) -> Path:
    """``datasets/{project}/{character}`` (holds images/, approval_status.json, dataset.json)."""
    project = await session.get(Project, character.project_id)
    if project is None:
        raise NotFound(f"project {character.project_id} not found")
    return paths.dataset(project.slug, character.slug)


async def images(*, session: AsyncSession, character: Character, filters: Filters) -> list[Asset]:
    query = select(Asset).where(Asset.character_id == character.id, Asset.kind == AssetKind.image)
    if filters.statuses:
        query = query.where(Asset.status.in_(filters.statuses))
    if filters.source == "generated":
        query = query.where(~Asset.provenance.has_key("source"))
    elif filters.source is not None:
        query = query.where(Asset.provenance["source"].astext == filters.source)
    if filters.min_score is not None:
        query = query.where(Asset.quality_score >= filters.min_score)
    if filters.max_score is not None:
        query = query.where(Asset.quality_score <= filters.max_score)
    if filters.failed_check:
        query = query.where(Asset.review["feature_checklist"][filters.failed_check].as_boolean().is_(False))
    # upload order, stable across decisions: keyboard review must not see images jump after each key
    return list((await session.scalars(query.order_by(Asset.id).limit(filters.limit))).all())


async def counts(*, session: AsyncSession, character_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Asset.status, func.count())
        .where(Asset.character_id == character_id, Asset.kind == AssetKind.image)
        .group_by(Asset.status)
    )
    return {status.value: n for status, n in rows.all()}


async def checks(*, session: AsyncSession, character_id: int) -> list[str]:
    """Checklist items the reviews of this character's images answered (names differ between engines)."""
    keys = func.jsonb_object_keys(Asset.review["feature_checklist"])
    rows = await session.scalars(
        select(keys)
        .where(
            Asset.character_id == character_id,
            Asset.kind == AssetKind.image,
            func.jsonb_typeof(Asset.review["feature_checklist"]) == "object",
        )
        .distinct()
    )
    return sorted(str(k) for k in rows.all())


def appearance_checks(character: Character) -> list[str]:
    """The feature checklist a vision model is asked for this character (from ``appearance_data``)."""
    hint = character_hint(character)
    appearance = character.appearance_data or {}
    request = ReviewRequest(
        image_path=Path(),
        species=hint.species,
        is_human=hint.is_human,
        key_colors=dict(hint.key_colors),
        key_features=tuple(str(f) for f in appearance.get("key_features", [])),
        common_errors=tuple(str(e) for e in appearance.get("common_errors", [])),
    )
    return prompting.checklist(request)


def reject_reasons(character: Character) -> list[str]:
    """Reasons phrased from the checklist, so that rejections name what to learn from; species first."""
    reasons: list[str] = []
    hint = character_hint(character)
    if not hint.is_human:
        species = re.sub(r"\(?\s*not human\s*\)?", "", hint.species, flags=re.IGNORECASE).strip(" ,")
        reasons += [f"not a {species}", *NON_HUMAN_REASONS]
    for item in appearance_checks(character):
        head, _, value = item.partition(": ")
        if head == "species":
            continue
        if head == "free of":
            reasons.append(f"has {value}")
        elif value:
            reasons.append(f"wrong {head} (should be {value})")
        else:
            reasons.append(f"missing: {item}")
    reasons += GENERAL_REASONS
    return list(dict.fromkeys(reasons))


async def set_caption(*, session: AsyncSession, paths: MediaPaths, asset_id: int, caption: str) -> Asset:
    asset = await _dataset_image(session, asset_id)
    image = paths.inside(asset.path)
    await asyncio.to_thread(captions.write_caption, image, caption)
    asset.provenance = {**asset.provenance, "caption_edited": True}
    await session.flush()
    return asset


async def promote(*, session: AsyncSession, paths: MediaPaths, asset_id: int) -> str:
    """Copy an approved image into the character's IP-Adapter reference images; returns its file name."""
    asset = await _dataset_image(session, asset_id)
    if asset.status != AssetStatus.approved:
        raise Invalid("only approved images can become reference images")
    character = await session.get(Character, asset.character_id)
    assert character is not None
    folder = (await dataset_folder(session, paths, character)) / "reference_images"
    data = await asyncio.to_thread(paths.inside(asset.path).read_bytes)
    saved = await asyncio.to_thread(datasets.save_reference, folder, filename=f"image-{asset.id}", data=data)
    return saved.name


async def _dataset_image(session: AsyncSession, asset_id: int) -> Asset:
    asset = await session.get(Asset, asset_id)
    if asset is None or asset.kind != AssetKind.image or asset.character_id is None:
        raise NotFound(f"dataset image {asset_id} not found")
    return asset
