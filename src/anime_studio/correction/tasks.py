"""Run kind ``correction.apply``: fix one rejected image, store the result as a new pending image, review it."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from anime_studio.assets.models import Asset
from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.characters.prompts import ComposedPrompt
from anime_studio.correction import edits, upscaling
from anime_studio.correction.models import Correction
from anime_studio.correction.service import RUN_KIND
from anime_studio.correction.strategies import IMAGE_OPS, regeneration
from anime_studio.datasets import captions, triage
from anime_studio.datasets import service as datasets
from anime_studio.errors import NotFound
from anime_studio.generation.requests import character_hint, image_request
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.media.files import create_unique
from anime_studio.projects.models import Project
from anime_studio.quality import service as quality
from anime_studio.styles.models import GenerationStyle


@dataclass(frozen=True)
class Subject:
    correction: Correction
    original: Asset
    character: Character
    project: Project
    composed: ComposedPrompt
    style: GenerationStyle


@dataclass(frozen=True)
class Outcome:
    file: Path
    caption: str
    provenance: dict[str, Any]
    detail: str


async def _load(ctx: RunContext) -> Subject:
    async with ctx.runtime.db.sessionmaker() as session:
        correction = await session.get(Correction, int(ctx.params["correction_id"]))
        original = await session.get(Asset, correction.original_asset_id) if correction else None
        if correction is None or original is None:
            raise NotFound("the correction or its image no longer exists")
        character = await characters.get(session=session, character_id=correction.character_id)
        project = await session.get(Project, character.project_id)
        assert project is not None
        extra = str(original.provenance.get("prompt_extra", ""))
        composed, style = await characters.compose_prompt(session=session, character=character, extra=extra)
        return Subject(correction, original, character, project, composed, style)


@run_kind(RUN_KIND, max_attempts=2, description="Apply an auto-correction strategy to a rejected image")
async def apply(ctx: RunContext) -> dict[str, Any]:
    """Edit or regenerate, register the result as a pending image linked to the original, review it."""
    subject = await _load(ctx)
    if subject.correction.corrected_asset_id is not None:
        return {"corrected_asset_id": subject.correction.corrected_asset_id}  # an earlier attempt finished
    try:
        return await _apply(ctx, subject)
    except Exception as error:
        async with ctx.runtime.db.transaction() as session:
            row = await session.get(Correction, subject.correction.id)
            if row is not None:
                row.status, row.detail = "failed", " ".join(str(error).split())[:500]
        raise


async def _apply(ctx: RunContext, subject: Subject) -> dict[str, Any]:
    rt, strategy = ctx.runtime, subject.correction.strategy
    await ctx.progress(0.05, f"{strategy}: working on image {subject.original.id}")
    outcome = await _edit(ctx, subject) if strategy in IMAGE_OPS else None
    if outcome is None:
        outcome = await _regenerate(ctx, subject)
    await ctx.progress(0.7, f"{strategy}: {outcome.detail}; reviewing")
    scores = await triage.review(rt, subject.character, subject.style, outcome.file)
    async with rt.db.transaction() as session:
        asset = await datasets.add_image(
            session=session,
            paths=rt.paths,
            character=subject.character,
            file=outcome.file,
            caption=outcome.caption,
            provenance=outcome.provenance,
            run_id=ctx.run_id,
        )
        asset.source_asset_id = subject.original.id
        status = await triage.record(session, asset, scores, subject.character, await quality.current(session=session))
        row = await session.get(Correction, subject.correction.id, with_for_update=True)
        assert row is not None
        row.corrected_asset_id, row.status, row.detail = asset.id, "done", outcome.detail
        await datasets.sync_approval_file(session=session, paths=rt.paths, character=subject.character)
    return {"corrected_asset_id": asset.id, "status": status.value, "strategy": strategy, "detail": outcome.detail}


def _folder(ctx: RunContext, subject: Subject) -> Path:
    return ctx.runtime.paths.dataset_images(subject.project.slug, subject.character.slug)


def _link(subject: Subject, detail: str, **more: Any) -> dict[str, Any]:
    return {"strategy": subject.correction.strategy, "original_asset_id": subject.original.id, "detail": detail, **more}


async def _edit(ctx: RunContext, subject: Subject) -> Outcome | None:
    source = ctx.runtime.paths.inside(subject.original.path)
    folder, strategy = _folder(ctx, subject), subject.correction.strategy
    short_side = edits.short_side_for((subject.style.width, subject.style.height))
    stem = f"{source.stem}_{strategy}"
    if strategy == "fix_resolution":
        partial = folder / f".{stem}.{ctx.run_id}.partial.png"
        try:
            detail = await upscaling.upscale(ctx.runtime.engines.image, source, partial, short_side=short_side)
            png = await asyncio.to_thread(partial.read_bytes)
        finally:
            partial.unlink(missing_ok=True)
    else:
        edited = await asyncio.to_thread(edits.edit, strategy, source, short_side=short_side)
        if edited is None:
            return None
        png, detail = edited.png, edited.detail
    file = await asyncio.to_thread(create_unique, folder, stem, ".png", png)
    kept: dict[str, Any] = {
        k: subject.original.provenance[k]
        for k in ("engine", "seed", "prompt", "negative")
        if k in subject.original.provenance
    }
    provenance: dict[str, Any] = {
        "source": "correction",
        **kept,
        "run_id": ctx.run_id,
        "correction": _link(subject, detail),
    }
    return Outcome(file, captions.read_caption(source), provenance, detail)


async def _regenerate(ctx: RunContext, subject: Subject) -> Outcome:
    rt, strategy, original = ctx.runtime, subject.correction.strategy, subject.original
    appearance = subject.character.appearance_data or {}
    plan = regeneration(
        strategy,
        original=original.provenance,
        composed=subject.composed,
        style_steps=subject.style.steps,
        common_errors=[str(e) for e in appearance.get("common_errors", [])],
        reasons=[r.strip() for r in subject.correction.reason.split(";") if r.strip()],
    )
    folder = _folder(ctx, subject)
    folder.mkdir(parents=True, exist_ok=True)
    references = tuple(
        datasets.list_references(rt.paths.reference_images(subject.project.slug, subject.character.slug))
    )
    output = folder / f"{subject.character.slug}_{ctx.run_id:06d}_{strategy}_{plan.seed}.png"
    request = dataclasses.replace(
        image_request(
            prompt=subject.composed,
            style=subject.style,
            seed=plan.seed,
            output=output,
            characters=(character_hint(subject.character),),
            references=references,
        ),
        steps=plan.steps,
        prompt=plan.prompt,
        negative=plan.negative,
    )
    started = time.monotonic()
    result = await rt.engines.image.generate(request, progress=ctx.span(0.1, 0.65, strategy))
    detail = ", ".join(
        f"{k} {v[0]} → {v[1]}" if k in ("seed", "steps") else f"{k}: {', '.join(v)}" for k, v in plan.changes.items()
    )
    provenance = {
        "engine": result.engine,
        "seed": result.seed,
        "checkpoint": subject.style.checkpoint_model,
        "loras": [],
        "prompt": plan.prompt,
        "negative": plan.negative,
        "duration": round(time.monotonic() - started, 3),
        "parameters": result.parameters,
        "run_id": ctx.run_id,
        "steps": plan.steps,
        "cfg": subject.style.cfg_scale,
        "sampler": subject.style.sampler,
        "prompt_extra": str(original.provenance.get("prompt_extra", "")),
        "correction": _link(subject, detail, changes=plan.changes),
    }
    return Outcome(result.path, plan.prompt, provenance, detail)
