"""Start generation runs after checking what they need."""

from __future__ import annotations

import secrets

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind, AssetStatus
from anime_studio.characters import service as characters
from anime_studio.errors import Invalid
from anime_studio.generation.schemas import MAX_SEED, GenerateRequest
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run


async def start(*, session: AsyncSession, character_id: int, body: GenerateRequest, user_id: int) -> Run:
    """Queue a generation run for a character (images, or a video of one of its images)."""
    character = await characters.get(session=session, character_id=character_id)
    seed = body.seed if body.seed is not None else secrets.randbelow(MAX_SEED)
    params = {"character_id": character.id, "seed": seed, "prompt_extra": body.prompt_extra}
    if body.kind == "image":
        if not character.design_prompt.strip() and not body.prompt_extra.strip():
            raise Invalid(f"{character.name} has no design prompt yet: write one on the Characters tab")
        kind, params = "generate.images", {**params, "count": body.count}
    else:
        if body.source_asset_id is None:
            raise Invalid("a video needs source_asset_id: the image to animate")
        source = await assets.get(session=session, asset_id=body.source_asset_id)
        if source.character_id != character.id or source.kind != AssetKind.image:
            raise Invalid(f"asset {source.id} is not an image of {character.name}")
        if source.status == AssetStatus.rejected:
            raise Invalid(f"image {source.id} was rejected; pick an approved or pending image")
        kind = "generate.video"
        params = {
            **params,
            "source_asset_id": source.id,
            "duration": body.duration,
            "motion_prompt": body.motion_prompt,
        }
    return await jobs.enqueue(
        session=session,
        kind=kind,
        params=params,
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user_id,
        label=f"{character.name}: " + (f"{body.count} image(s)" if body.kind == "image" else "video"),
    )
