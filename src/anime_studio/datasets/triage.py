"""Vision review + auto-triage of dataset images, shared by ingestion and the ``dataset.triage`` run."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.datasets import captions
from anime_studio.datasets import service as datasets
from anime_studio.engines.base import EngineError
from anime_studio.engines.vision.base import ReviewScores
from anime_studio.generation.requests import character_hint, review_request
from anime_studio.jobs.context import JobRuntime, RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.quality import service as quality
from anime_studio.quality.service import Gates
from anime_studio.styles.models import GenerationStyle

UNREVIEWED = "none"


async def review(rt: JobRuntime, character: Character, style: GenerationStyle, path: Path) -> ReviewScores:
    """The vision engine's review of a dataset image; a failed review leaves the image for a person."""
    # Dataset images come at any size: judge resolution against the training minimum, not the render size.
    request = dataclasses.replace(review_request(character, path, style), expected_width=None, expected_height=None)
    try:
        return await rt.engines.vision.review(request)
    except EngineError as error:
        return ReviewScores(
            character_match=0, clarity=0, training_value=0, solo=False, quality_score=0.0,
            issues=[f"review failed: {error}"], engine=UNREVIEWED,
        )  # fmt: skip


async def record(
    session: AsyncSession, asset: Asset, scores: ReviewScores, character: Character, gates: Gates
) -> AssetStatus:
    """Store the review and apply the gates (an image whose review failed stays as it is)."""
    if scores.engine == UNREVIEWED:
        asset.review = {**(asset.review or {}), "issues": scores.issues}
        return asset.status
    hint = character_hint(character)
    return await datasets.apply_review(
        session=session, asset=asset, scores=scores, is_human=hint.is_human, species=hint.species, gates=gates
    )


@run_kind("dataset.triage", max_attempts=2, description="Review and triage a character's pending dataset images")
async def triage(ctx: RunContext) -> dict[str, Any]:
    """Re-review every pending image (after a gate change or a new vision engine); captions follow
    the new review unless a person edited them."""
    rt = ctx.runtime
    async with rt.db.sessionmaker() as session:
        character = await characters.get(session=session, character_id=int(ctx.params["character_id"]))
        _, style = await characters.compose_prompt(session=session, character=character)
        ids = list(
            (
                await session.scalars(
                    select(Asset.id)
                    .where(
                        Asset.character_id == character.id,
                        Asset.kind == AssetKind.image,
                        Asset.status == AssetStatus.pending,
                    )
                    .order_by(Asset.id)
                )
            ).all()
        )
    outcome: dict[str, int] = {}
    for index, asset_id in enumerate(ids):
        async with rt.db.sessionmaker() as session:
            asset = await session.get(Asset, asset_id)
            path = rt.paths.inside(asset.path) if asset is not None else None
        if path is None or not path.is_file():
            continue
        scores = await review(rt, character, style, path)
        async with rt.db.transaction() as session:
            asset = await session.get(Asset, asset_id, with_for_update=True)
            if asset is None or asset.status != AssetStatus.pending:
                continue  # a person decided while the engine looked
            gates = await quality.current(session=session)
            status = await record(session, asset, scores, character, gates)
            if not asset.provenance.get("caption_edited"):
                settings = captions.load_settings(path.parent.parent, character)
                captions.write_caption(
                    path, captions.caption_for(character=character, trigger=settings.trigger, review=asset.review)
                )
        outcome[status.value] = outcome.get(status.value, 0) + 1
        await ctx.progress(
            (index + 1) / len(ids), f"{index + 1}/{len(ids)}: {status.value} ({scores.quality_score:.2f})"
        )
    async with rt.db.transaction() as session:
        await datasets.sync_approval_file(session=session, paths=rt.paths, character=character)
    return {"reviewed": len(ids), "statuses": outcome}
