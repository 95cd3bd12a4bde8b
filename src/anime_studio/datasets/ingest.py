"""Run kind ``dataset.ingest``: uploaded images, video frames or a linked video → pending, reviewed dataset images."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image
from sqlalchemy import select

from anime_studio.assets.models import Asset, AssetKind
from anime_studio.characters import service as characters
from anime_studio.characters.models import Character
from anime_studio.datasets import captions, download, files, frames, hashing, triage, uploads
from anime_studio.datasets import service as datasets
from anime_studio.errors import DomainError
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.media import images
from anime_studio.projects.models import Project
from anime_studio.quality import service as quality


@dataclasses.dataclass
class Candidate:
    label: str
    load: Callable[[], Image.Image]
    provenance: dict[str, Any]


@run_kind("dataset.ingest", max_attempts=1, description="Ingest images or video frames into a character dataset")
async def ingest(ctx: RunContext) -> dict[str, Any]:
    """Decode, drop unusable and duplicate pictures, store the rest pending, review and triage each."""
    rt, params = ctx.runtime, ctx.params
    staging = rt.paths.inside(str(params["staging"]))
    started = time.monotonic()
    try:
        async with rt.db.sessionmaker() as session:
            character = await characters.get(session=session, character_id=int(params["character_id"]))
            project = await session.get(Project, character.project_id)
            assert project is not None
        source = str(params["source"])
        base = {"source": source, "run_id": ctx.run_id, "ingested_by": params.get("user")}
        if source == "upload":
            members = await asyncio.to_thread(uploads.staged_members, staging)
            items = [Candidate(m.source, _decoder(m), {**base, "file": m.source}) for m in members]
        else:
            video, origin = staging / str(params.get("video", "")), dict[str, str]()
            if source == "url":
                await ctx.progress(0.0, "downloading")
                video, origin = await asyncio.to_thread(download.download, str(params["url"]), staging)
            every = float(params.get("every", 2.0))
            picked = await frames.sample(video, staging / "frames", every=every, progress=ctx.span(0.0, 0.3, "frames"))
            items = [_frame(f, {**base, **origin, "file": str(params.get("file", video.name))}) for f in picked]
        result = await _ingest_all(ctx, character, project, items, span=(0.0 if source == "upload" else 0.3, 1.0))
    finally:
        uploads.discard(staging)
    seconds = time.monotonic() - started
    result["seconds"] = round(seconds, 3)
    result["per_second"] = round(result["candidates"] / seconds, 2) if seconds > 0 else 0.0
    return result


def _decoder(member: uploads.Member) -> Callable[[], Image.Image]:
    def load() -> Image.Image:
        image = uploads.decode_image(member.data, name=member.source)
        assert image is not None
        return image

    return load


def _frame(frame: frames.Frame, provenance: dict[str, Any]) -> Candidate:
    def load() -> Image.Image:
        with Image.open(frame.path) as image:
            return image.convert("RGB")

    extra = {"timestamp": frame.timestamp, "scene_score": frame.scene_score, "picked": frame.reason}
    return Candidate(f"{frame.timestamp:.2f} s", load, {**provenance, **extra})


async def _ingest_all(
    ctx: RunContext, character: Character, project: Project, items: list[Candidate], *, span: tuple[float, float]
) -> dict[str, Any]:
    rt = ctx.runtime
    folder = rt.paths.dataset_images(project.slug, character.slug)
    folder.mkdir(parents=True, exist_ok=True)
    async with rt.db.sessionmaker() as session:
        known = await _known_hashes(session, character.id)
        gates = await quality.current(session=session)
        _, style = await characters.compose_prompt(session=session, character=character)
    settings = captions.load_settings(folder.parent, character)
    added: list[int] = []
    skipped: list[dict[str, str]] = []
    for index, item in enumerate(items):
        step = span[0] + (span[1] - span[0]) * (index + 1) / max(1, len(items))
        try:
            image = await asyncio.to_thread(item.load)
        except (DomainError, images.ImageRejected) as error:
            skipped.append({"source": item.label, "reason": str(error)})
            continue
        why = await asyncio.to_thread(frames.unusable, image) if "timestamp" in item.provenance else None
        fingerprint = hashing.fingerprint(image)
        if why is None and hashing.near(fingerprint, known):
            why = "duplicate"
        if why is not None:
            skipped.append({"source": item.label, "reason": why})
            await ctx.progress(step, f"{index + 1}/{len(items)} {item.label}: skipped: {why}")
            continue
        known.append(fingerprint)
        target = folder / f"{character.slug}_in{ctx.run_id:06d}_{index:04d}.png"
        digest = await asyncio.to_thread(_save_png, image, target)
        scores = await triage.review(rt, character, style, target)
        provenance = {**item.provenance, "dhash": fingerprint, "sha256": digest}
        caption = captions.caption_for(character=character, trigger=settings.trigger, review=scores.model_dump())
        async with rt.db.transaction() as session:
            asset = await datasets.add_image(
                session=session,
                paths=rt.paths,
                character=character,
                file=target,
                caption=caption,
                provenance=provenance,
                run_id=ctx.run_id,
            )
            status = await triage.record(session, asset, scores, character, gates)
            added.append(asset.id)
        await ctx.progress(step, f"{index + 1}/{len(items)} {item.label}: {status.value} ({scores.quality_score:.2f})")
    async with rt.db.transaction() as session:
        await datasets.sync_approval_file(session=session, paths=rt.paths, character=character)
    return {"candidates": len(items), "added": added, "skipped": skipped}


async def _known_hashes(session: Any, character_id: int) -> list[str]:
    rows = await session.scalars(
        select(Asset.provenance).where(Asset.character_id == character_id, Asset.kind == AssetKind.image)
    )
    return [str(p["dhash"]) for p in rows.all() if isinstance(p, dict) and p.get("dhash")]


def _save_png(image: Image.Image, target: Path) -> str:
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = buffer.getvalue()
    files.write_atomic(target, data)
    return hashlib.sha256(data).hexdigest()
