"""Run kinds ``generate.images`` and ``generate.video``: engine calls, files, review, events."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.characters.prompts import ComposedPrompt
from anime_studio.datasets import service as datasets
from anime_studio.engines.image.base import ImageResult, LoraSpec
from anime_studio.engines.image.batch import generate_all
from anime_studio.engines.video.base import VideoRequest
from anime_studio.engines.video.presets import default_motion
from anime_studio.errors import Invalid
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.generation.requests import character_hint, image_request, review_request
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.lora import usage as lora_usage
from anime_studio.media.probe import probe
from anime_studio.projects.models import Project
from anime_studio.quality import service as quality
from anime_studio.styles.models import GenerationStyle


async def _load(ctx: RunContext) -> tuple[Character, Project]:
    async with ctx.runtime.db.sessionmaker() as session:
        character = await characters.get(session=session, character_id=int(ctx.params["character_id"]))
        project = await session.get(Project, character.project_id)
        assert project is not None
        return character, project


@run_kind("generate.images", max_attempts=3, description="Generate dataset images of a character")
async def generate_images(ctx: RunContext) -> dict[str, Any]:
    """Generate ``count`` images with the SSOT prompt, store them pending, review and auto-triage each.

    The images are independent, so they go to every backend that can take one at once
    (``generate_all``); each is stored as it lands, and a resumed run skips the seeds already stored.
    """
    character, project = await _load(ctx)
    rt, count, seed = ctx.runtime, int(ctx.params["count"]), int(ctx.params["seed"])
    folder = rt.paths.dataset_images(project.slug, character.slug)
    folder.mkdir(parents=True, exist_ok=True)
    references = tuple(datasets.list_references(rt.paths.reference_images(project.slug, character.slug)))
    async with rt.db.transaction() as session:
        emit(session, names.GENERATION_SUBMITTED, {"run_id": ctx.run_id, "character_id": character.id, "count": count})
        existing = await _images_of_run(session, ctx.run_id)
        composed, style = await characters.compose_prompt(
            session=session, character=character, extra=str(ctx.params.get("prompt_extra", ""))
        )
        composed, loras, lora_provenance = await _active_lora(session, character, composed, style)
    stored = {int(a.provenance.get("seed", -1)) - seed: a.id for a in existing}
    todo = [index for index in range(count) if index not in stored]
    requests = [
        image_request(
            prompt=composed,
            style=style,
            seed=seed + index,
            output=folder / f"{character.slug}_{ctx.run_id:06d}_{index:02d}_{seed + index}.png",
            characters=(character_hint(character),),
            references=references,
            loras=loras,
        )
        for index in todo
    ]
    started = time.monotonic()

    async def store(position: int, result: ImageResult) -> int:
        index = todo[position]
        stored[index] = await _store_image(ctx, character, composed, style, result, started, lora_provenance)
        await ctx.save_state(asset_ids=[stored[i] for i in sorted(stored)])
        await ctx.progress(len(stored) / count, f"image {index + 1}: reviewed ({len(stored)}/{count} done)")
        return stored[index]

    await generate_all(rt.engines.image, requests, store)
    done = [stored[index] for index in range(count)]
    async with rt.db.transaction() as session:
        await datasets.sync_approval_file(session=session, paths=rt.paths, character=character)
        statuses = [a.status.value for a in await _images_of_run(session, ctx.run_id)]
    return {"asset_ids": done, "statuses": statuses}


async def _active_lora(
    session: AsyncSession, character: Character, composed: ComposedPrompt, style: GenerationStyle
) -> tuple[ComposedPrompt, tuple[LoraSpec, ...], list[dict[str, Any]]]:
    """The character's promoted LoRA version: the prompt gains its trigger word, provenance its name."""
    versions = await lora_usage.active_versions(session=session, character_ids=[character.id])
    chosen = lora_usage.use(versions.values(), strength=style.lora_strength)
    return chosen.prompt(composed), chosen.specs, list(chosen.records)


async def _images_of_run(session: Any, run_id: int) -> list[Asset]:
    from sqlalchemy import select

    rows = await session.scalars(select(Asset).where(Asset.run_id == run_id).order_by(Asset.id))
    return list(rows.all())


async def _store_image(
    ctx: RunContext,
    character: Character,
    composed: ComposedPrompt,
    style: GenerationStyle,
    result: ImageResult,
    started: float,
    loras: list[dict[str, Any]],
) -> int:
    """Review one generated image and store it as a pending dataset image; returns its asset id."""
    rt = ctx.runtime
    provenance = {
        "engine": result.engine,
        "seed": result.seed,
        "checkpoint": style.checkpoint_model,
        "loras": loras,
        "prompt": composed.positive,
        "negative": composed.negative,
        "duration": round(time.monotonic() - started, 3),
        "parameters": result.parameters,
        "run_id": ctx.run_id,
        # the request's knobs, engine-independent, so the learning system can group by them in SQL
        "steps": style.steps,
        "cfg": style.cfg_scale,
        "sampler": style.sampler,
        "prompt_extra": str(ctx.params.get("prompt_extra", "")),
    }
    scores = await rt.engines.vision.review(review_request(character, result.path, style))
    gates = await _gates(ctx)
    async with rt.db.transaction() as session:
        asset = await datasets.add_image(
            session=session,
            paths=rt.paths,
            character=character,
            file=result.path,
            caption=composed.positive,
            provenance=provenance,
            run_id=ctx.run_id,
        )
        await datasets.apply_review(
            session=session,
            asset=asset,
            scores=scores,
            is_human=composed.is_human,
            species=character_hint(character).species,
            gates=gates,
        )
        return asset.id


async def _gates(ctx: RunContext) -> quality.Gates:
    async with ctx.runtime.db.sessionmaker() as session:
        return await quality.current(session=session)


@run_kind("generate.video", max_attempts=3, description="Animate an approved image of a character")
async def generate_video(ctx: RunContext) -> dict[str, Any]:
    """Animate an image of the character with the video engine into ``datasets/…/videos``."""
    character, project = await _load(ctx)
    rt = ctx.runtime
    async with rt.db.sessionmaker() as session:
        source = await assets.get(session=session, asset_id=int(ctx.params["source_asset_id"]))
        _, style = await characters.compose_prompt(session=session, character=character)
    if source.character_id != character.id or source.kind != AssetKind.image:
        raise Invalid("the source must be an image of this character")
    folder = rt.paths.character_videos(project.slug, character.slug)
    folder.mkdir(parents=True, exist_ok=True)
    output = folder / f"{character.slug}_{ctx.run_id:06d}.mp4"
    motion = str(ctx.params.get("motion_prompt") or default_motion("medium"))
    request = VideoRequest(
        source_image=rt.paths.inside(source.path),
        motion_prompt=motion,
        output_path=output,
        duration=float(ctx.params.get("duration", 3.0)),
        fps=style.fps,
        width=style.width,
        height=style.height,
        seed=int(ctx.params["seed"]),
        shot_type="medium",
        steps=style.steps,
        checkpoint=style.checkpoint_model,
    )
    result = await rt.engines.video.animate(request, progress=ctx.span(0.0, 0.95))
    info = probe(result.path)
    async with rt.db.transaction() as session:
        asset = await assets.record(
            session=session,
            paths=rt.paths,
            file=result.path,
            project_id=project.id,
            kind=AssetKind.video,
            status=AssetStatus.ready,
            width=info.width,
            height=info.height,
            duration=info.duration,
            character_id=character.id,
            run_id=ctx.run_id,
            source_asset_id=source.id,
            provenance={"engine": result.engine, "motion_prompt": motion, "parameters": result.parameters},
        )
        emit(session, names.GENERATION_COMPLETED, {"asset_id": asset.id, "character_id": character.id})
    return {"asset_id": asset.id}
