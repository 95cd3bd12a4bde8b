"""Training runs: start (checked before any job exists), status, history, best epoch, versions, promotion."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters import service as characters
from anime_studio.datasets import captions, export
from anime_studio.datasets.browse import dataset_folder
from anime_studio.engines.base import EngineError
from anime_studio.engines.training.base import TrainingEngine, TrainingSettings
from anime_studio.errors import Conflict, Invalid, NotFound, Unavailable
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run
from anime_studio.lora.models import LoraEpoch, LoraTraining, LoraVersion
from anime_studio.lora.presets import PRESETS, resolved
from anime_studio.lora.schemas import TrainingStart
from anime_studio.media.paths import MediaPaths
from anime_studio.scenes import runs as scene_runs
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Shot

RUN_KIND = "lora.train"


async def start(
    *,
    session: AsyncSession,
    paths: MediaPaths,
    engine: TrainingEngine,
    body: TrainingStart,
    user_id: int,
    min_images: int,
) -> LoraTraining:
    """Snapshot the character's approved dataset and queue its training; every check comes first."""
    character = await characters.get(session=session, character_id=body.character_id)
    if await jobs.find_active(session=session, kind=RUN_KIND, subject_type="character", subject_id=character.id):
        raise Conflict(f"{character.name} already has a LoRA training queued or running")
    approved = await session.scalar(
        select(func.count())
        .select_from(Asset)
        .where(Asset.character_id == character.id, Asset.kind == AssetKind.image, Asset.status == AssetStatus.approved)
    )
    if (approved or 0) < min_images:
        raise Invalid(
            f"{character.name} has {approved or 0} approved image(s); training needs at least {min_images}: "
            "approve more on the Approve tab"
        )
    _, style = await characters.compose_prompt(session=session, character=character)
    checkpoint = body.checkpoint or style.checkpoint_model
    if not checkpoint:
        raise Invalid("choose a checkpoint: the project's style names none")
    await _require_checkpoint(engine, checkpoint)
    folder = await dataset_folder(session, paths, character)
    trigger = body.trigger_word or captions.load_settings(folder, character).trigger
    values = resolved(body.preset, body.advanced.model_dump())
    settings = TrainingSettings(
        checkpoint=checkpoint, family=PRESETS[body.preset].family, trigger_word=trigger, **values
    )
    root, manifest = await export.to_folder(session=session, paths=paths, character=character)
    training = LoraTraining(
        character_id=character.id,
        preset=body.preset,
        engine=engine.name,
        settings=settings_dict(settings),
        dataset_snapshot=str(manifest["snapshot"]),
        dataset_path=paths.relative(root),
        manifest=manifest,
        created_by=user_id,
    )
    session.add(training)
    await session.flush()
    run = await jobs.enqueue(
        session=session,
        kind=RUN_KIND,
        params={"training_id": training.id},
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user_id,
        label=f"{character.name}: LoRA training ({PRESETS[body.preset].label})",
    )
    training.run_id = run.id
    await session.flush()
    return training


async def _require_checkpoint(engine: TrainingEngine, checkpoint: str) -> None:
    try:
        status = await engine.status()
    except EngineError as error:
        raise Unavailable(f"the {engine.name} training engine cannot be reached: {error}") from error
    if not status.reachable:
        raise Unavailable(f"the {engine.name} training engine is not available: {status.detail}")
    if status.models and checkpoint not in status.models:
        shown = ", ".join(status.models[:10])
        raise Invalid(f"unknown checkpoint {checkpoint!r}; the training engine has: {shown}")


def settings_dict(settings: TrainingSettings) -> dict[str, Any]:
    return dict(settings.__dict__)


def training_settings(training: LoraTraining) -> TrainingSettings:
    return TrainingSettings(**training.settings)


async def get(*, session: AsyncSession, training_id: int) -> LoraTraining:
    training = await session.get(LoraTraining, training_id)
    if training is None:
        raise NotFound(f"training {training_id} not found")
    return training


async def run_of(*, session: AsyncSession, training: LoraTraining) -> Run | None:
    return None if training.run_id is None else await session.get(Run, training.run_id)


async def history(*, session: AsyncSession, character_id: int | None, limit: int) -> list[LoraTraining]:
    """Trainings, newest first (of one character when given)."""
    query = select(LoraTraining).order_by(LoraTraining.id.desc()).limit(limit)
    if character_id is not None:
        query = query.where(LoraTraining.character_id == character_id)
    return list((await session.scalars(query)).all())


async def epochs(*, session: AsyncSession, training_id: int) -> list[LoraEpoch]:
    rows = await session.scalars(
        select(LoraEpoch).where(LoraEpoch.training_id == training_id).order_by(LoraEpoch.epoch)
    )
    return list(rows.all())


def best_epoch(rows: list[LoraEpoch]) -> int | None:
    """The highest consistency score; the lower loss breaks ties; by loss alone when nothing was scored."""
    scored = [e for e in rows if e.score is not None]
    if scored:
        return max(scored, key=lambda e: (round(e.score or 0.0, 4), -(e.loss or 0.0))).epoch
    with_loss = [e for e in rows if e.loss is not None]
    return min(with_loss, key=lambda e: e.loss or 0.0).epoch if with_loss else None


async def versions(*, session: AsyncSession, character_id: int) -> list[LoraVersion]:
    rows = await session.scalars(
        select(LoraVersion).where(LoraVersion.character_id == character_id).order_by(LoraVersion.number.desc())
    )
    return list(rows.all())


async def active_version(*, session: AsyncSession, character_id: int) -> LoraVersion | None:
    """The promoted LoRA generation loads for the character, if any."""
    return await session.scalar(
        select(LoraVersion).where(LoraVersion.character_id == character_id, LoraVersion.active.is_(True))
    )


async def promote(
    *, session: AsyncSession, training_id: int, epoch: int | None, user_id: int
) -> tuple[LoraVersion, LoraVersion | None, list[int], list[int]]:
    """Make an epoch (default: the best) the character's active LoRA version.

    Returns the new version, the one it replaces, and the images and shots made with the replaced one.
    """
    training = await get(session=session, training_id=training_id)
    rows = await epochs(session=session, training_id=training.id)
    wanted = epoch if epoch is not None else best_epoch(rows)
    chosen = next((e for e in rows if e.epoch == wanted), None)
    if chosen is None:
        raise Invalid(f"training {training.id} has no finished epoch {wanted}" if wanted else "no epoch finished yet")
    character = await characters.get(session=session, character_id=training.character_id)
    previous = await session.scalar(
        select(LoraVersion)
        .where(LoraVersion.character_id == character.id, LoraVersion.active.is_(True))
        .with_for_update()
    )
    if previous is not None and previous.epoch_id == chosen.id:
        raise Conflict(f"epoch {chosen.epoch} of training {training.id} is already the active version")
    number = (
        await session.scalar(select(func.max(LoraVersion.number)).where(LoraVersion.character_id == character.id)) or 0
    ) + 1
    if previous is not None:
        previous.active = False
        await session.flush()
    version = LoraVersion(
        character_id=character.id,
        training_id=training.id,
        epoch_id=chosen.id,
        number=number,
        name=f"{character.slug}-v{number}",
        epoch=chosen.epoch,
        path=chosen.path,
        trigger_word=str(training.settings.get("trigger_word", "")),
        score=chosen.score,
        active=True,
        promoted_by=user_id,
    )
    session.add(version)
    await session.flush()
    made_with_previous = [] if previous is None else await images_made_with(session=session, version=previous)
    shots_with_previous = [] if previous is None else await shots_made_with(session=session, version=previous)
    emit(
        session,
        names.LORA_PROMOTED,
        {"character_id": character.id, "version_id": version.id, "previous_id": previous.id if previous else None},
    )
    return version, previous, made_with_previous, shots_with_previous


async def images_made_with(*, session: AsyncSession, version: LoraVersion) -> list[int]:
    """Ids of the images whose provenance names this LoRA version."""
    rows = await session.scalars(
        select(Asset.id)
        .where(
            Asset.character_id == version.character_id,
            Asset.kind == AssetKind.image,
            Asset.provenance["loras"].contains([{"version_id": version.id}]),
        )
        .order_by(Asset.id)
    )
    return list(rows.all())


async def shots_made_with(*, session: AsyncSession, version: LoraVersion) -> list[int]:
    """Ids of the shots whose current clip was made from a keyframe that loaded this LoRA version."""
    rows = await session.scalars(
        select(Shot.id)
        .join(Asset, Asset.path == Shot.output_path)
        .where(Asset.kind == AssetKind.clip, Asset.provenance["loras"].contains([{"version_id": version.id}]))
        .order_by(Shot.id)
    )
    return list(rows.all())


async def rerender_shots(*, session: AsyncSession, shot_ids: list[int], user_id: int) -> list[Run]:
    """One run per scene: its only affected shot regenerated, or the whole scene when several are."""
    by_scene: dict[int, list[int]] = {}
    for shot_id in dict.fromkeys(shot_ids):
        shot = await session.get(Shot, shot_id)
        if shot is None:
            raise Invalid(f"shot {shot_id} does not exist")
        by_scene.setdefault(shot.scene_id, []).append(shot.id)
    queued = []
    for scene_id, ids in by_scene.items():
        scene = await scenes.get(session=session, scene_id=scene_id)
        if len(ids) == 1:
            queued.append(
                await scene_runs.start(session=session, scene=scene, kind="scene.shot", user_id=user_id, shot_id=ids[0])
            )
        else:
            queued.append(await scene_runs.start(session=session, scene=scene, kind="scene.generate", user_id=user_id))
    return queued


async def rerender(*, session: AsyncSession, asset_ids: list[int], user_id: int) -> list[Run]:
    """Queue one image run per asset, same character and seed, made with the character's active LoRA."""
    runs = []
    for asset_id in dict.fromkeys(asset_ids):
        asset = await session.get(Asset, asset_id)
        if asset is None or asset.kind != AssetKind.image or asset.character_id is None:
            raise Invalid(f"asset {asset_id} is not an image of a character")
        seed = int(asset.provenance.get("seed", 0))
        runs.append(
            await jobs.enqueue(
                session=session,
                kind="generate.images",
                params={"character_id": asset.character_id, "seed": seed, "count": 1, "rerender_of": asset.id},
                project_id=asset.project_id,
                subject_type="character",
                subject_id=asset.character_id,
                user_id=user_id,
                label=f"re-render image {asset.id} with the new LoRA",
            )
        )
    return runs
