"""The loop's three run kinds: ``replenish.check`` → ``replenish.generate`` → ``replenish.review`` → check again.

Each step is a run in the job system, so the loop survives restarts and spreads over workers."""

from __future__ import annotations

import asyncio
import shutil
from pathlib import Path
from typing import Any

from sqlalchemy import select

from anime_studio.assets.models import Asset, AssetStatus
from anime_studio.autonomy import service, targets
from anime_studio.autonomy.models import ReplenishmentBatch
from anime_studio.autonomy.parameters import BatchPlan, batch_parameters
from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.datasets import service as datasets
from anime_studio.datasets import triage
from anime_studio.engines.image.base import ImageResult
from anime_studio.engines.image.batch import generate_all
from anime_studio.errors import NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.generation.requests import character_hint
from anime_studio.jobs import service as jobs
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.learning import service as learning
from anime_studio.projects.models import Project
from anime_studio.quality import service as quality


async def _character(ctx: RunContext) -> tuple[Character, Project]:
    async with ctx.runtime.db.sessionmaker() as session:
        character = await characters.get(session=session, character_id=int(ctx.params["character_id"]))
        project = await session.get(Project, character.project_id)
        if project is None:
            raise NotFound(f"project {character.project_id} not found")
        return character, project


@run_kind("replenish.check", max_attempts=3, description="Replenishment: check a character against its target")
async def check(ctx: RunContext) -> dict[str, Any]:
    """Count approved images against the target and, if every guard passes, queue a batch."""
    character, _ = await _character(ctx)
    async with ctx.runtime.db.sessionmaker() as session:
        target = await targets.read(session=session, paths=ctx.runtime.paths, character=character)
    async with ctx.runtime.db.transaction() as session:
        verdict = await service.check(session=session, character=character, target=target)
    return {"state": verdict.state, "reason": verdict.reason, "size": verdict.size}


async def _batch(ctx: RunContext) -> ReplenishmentBatch:
    async with ctx.runtime.db.sessionmaker() as session:
        batch = await session.get(ReplenishmentBatch, int(ctx.params["batch_id"]))
        if batch is None:
            raise NotFound(f"replenishment batch {ctx.params['batch_id']} not found")
        return batch


async def _batch_images(session: Any, batch: ReplenishmentBatch) -> list[Asset]:
    query = select(Asset).where(
        Asset.character_id == batch.character_id,  # indexed: the JSON test then runs over one character only
        Asset.provenance["replenishment_batch"].as_integer() == batch.id,
    )
    return list((await session.scalars(query.order_by(Asset.id))).all())


@run_kind("replenish.generate", max_attempts=3, description="Replenishment: generate a batch into the dataset")
async def generate(ctx: RunContext) -> dict[str, Any]:
    """Generate the batch into a staging folder, copy each image into the dataset and register it pending."""
    rt, batch = ctx.runtime, await _batch(ctx)
    character, project = await _character(ctx)
    async with rt.db.transaction() as session:
        row = await service.enrolment(session=session, character_id=character.id)
        use_learned = bool(row and row.use_learned_parameters)
        suggestions = await learning.suggested_parameters(session, character_id=character.id) if use_learned else None
        composed, style = await characters.compose_prompt(session=session, character=character)
        done = {int(a.provenance.get("replenishment_index", -1)) for a in await _batch_images(session, batch)}
        submitted = {"run_id": ctx.run_id, "character_id": character.id, "count": batch.size}
        emit(session, names.GENERATION_SUBMITTED, submitted)
    staging = rt.paths.root / "output" / "replenishment" / f"batch_{batch.id}"
    staging.mkdir(parents=True, exist_ok=True)
    plan = BatchPlan(
        prompt=composed,
        style=style,
        seed=batch.seed,
        folder=staging,
        stem=f"{character.slug}_r{batch.id:05d}",
        character=character_hint(character),
        references=tuple(datasets.list_references(rt.paths.reference_images(project.slug, character.slug))),
    )
    requests = batch_parameters(plan=plan, count=batch.size, use_learned=use_learned, suggestions=suggestions)
    todo = [index for index in range(batch.size) if index not in done]
    dataset = rt.paths.dataset_images(project.slug, character.slug)
    dataset.mkdir(parents=True, exist_ok=True)

    stored = batch.size - len(todo)

    async def store(position: int, result: ImageResult) -> int:
        nonlocal stored
        index = todo[position]
        target = dataset / result.path.name
        await asyncio.to_thread(shutil.copy2, result.path, target)
        provenance = {
            "engine": result.engine,
            "seed": result.seed,
            "checkpoint": style.checkpoint_model,
            "loras": [],
            "prompt": requests[index].prompt,
            "negative": requests[index].negative,
            "parameters": result.parameters,
            "run_id": ctx.run_id,
            "replenishment_batch": batch.id,
            "replenishment_index": index,
        }
        async with rt.db.transaction() as session:
            asset = await datasets.add_image(
                session=session, paths=rt.paths, character=character, file=target,
                caption=requests[index].prompt, provenance=provenance, run_id=ctx.run_id,
            )  # fmt: skip
        stored += 1
        await ctx.progress(stored / batch.size, f"image {index + 1} in the dataset ({stored}/{batch.size})")
        return asset.id

    await generate_all(rt.engines.image, [requests[i] for i in todo], store)
    await asyncio.to_thread(shutil.rmtree, staging, True)
    async with rt.db.transaction() as session:
        ids = [a.id for a in await _batch_images(session, batch)]
        review = await jobs.enqueue(
            session=session,
            kind=service.REVIEW,
            params={"batch_id": batch.id, "character_id": character.id},
            project_id=character.project_id,
            subject_type="character",
            subject_id=character.id,
            label=f"{character.name}: review replenished images",
        )
        await service.advance(session=session, batch_id=batch.id, step="review", run_id=review.id, asset_ids=ids)
    return {"asset_ids": ids, "review_run_id": review.id}


async def _pending_files(ctx: RunContext, asset_ids: list[Any]) -> list[tuple[int, Path]]:
    """The batch's images still pending (a restart or a person may have decided some already)."""
    async with ctx.runtime.db.sessionmaker() as session:
        rows = await session.scalars(
            select(Asset).where(Asset.id.in_([int(i) for i in asset_ids]), Asset.status == AssetStatus.pending)
        )
        files = [(a.id, ctx.runtime.paths.inside(a.path)) for a in rows.all()]
    return sorted((asset_id, path) for asset_id, path in files if path.is_file())


@run_kind("replenish.review", max_attempts=3, description="Replenishment: review and triage a batch")
async def review(ctx: RunContext) -> dict[str, Any]:
    """Vision-review each image of the batch and auto-approve/reject it (the dataset triage), then check again."""
    rt, batch = ctx.runtime, await _batch(ctx)
    character, _ = await _character(ctx)
    async with rt.db.sessionmaker() as session:
        _, style = await characters.compose_prompt(session=session, character=character)
    files = await _pending_files(ctx, batch.asset_ids)
    engine = asyncio.Semaphore(1)  # one review at a time; storing it overlaps the next review
    reviewed = 0

    async def one(asset_id: int, path: Path) -> None:
        nonlocal reviewed
        async with engine:
            scores = await triage.review(rt, character, style, path)
        async with rt.db.transaction() as session:
            asset = await session.get(Asset, asset_id, with_for_update=True)
            if asset is not None and asset.status == AssetStatus.pending:  # else a person decided meanwhile
                await triage.record(session, asset, scores, character, await quality.current(session=session))
        reviewed += 1
        await ctx.progress(reviewed / len(files), f"reviewed {reviewed}/{len(files)}")

    try:
        async with asyncio.TaskGroup() as group:
            for asset_id, path in files:
                group.create_task(one(asset_id, path))
    except* Exception as failures:
        # The executor tells a database outage (requeue) from a bug by the error's own type.
        raise failures.exceptions[0] from None
    async with rt.db.sessionmaker() as session:
        target = await targets.read(session=session, paths=rt.paths, character=character)
    async with rt.db.transaction() as session:
        statuses = [a.status for a in await _batch_images(session, batch)]
        approved = statuses.count(AssetStatus.approved)
        rejected = statuses.count(AssetStatus.rejected)
        await service.finish(session=session, batch_id=batch.id, approved=approved, rejected=rejected)
        await datasets.sync_approval_file(session=session, paths=rt.paths, character=character)
        # Repeat while below target: this character's next check happens here, in the same transaction
        # (one job hop less per round); the others get a check run, as the freed slot may be theirs.
        verdict = await service.check(session=session, character=character, target=target)
        await service.wake(session=session, besides=character.id)
    pending = len(statuses) - approved - rejected
    return {"approved": approved, "rejected": rejected, "pending": pending, "next": verdict.reason}
