"""``/api/lora/training/…``: start, follow, cancel and resume trainings; epochs, loss, samples; versions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse

from anime_studio.common.types import MAX_DB_INT
from anime_studio.deps import CurrentUser, EditorUser, EnginesDep, ItemId, PathsDep, SessionDep, SettingsDep
from anime_studio.errors import NotFound
from anime_studio.jobs import service as jobs
from anime_studio.lora import service
from anime_studio.lora.models import LoraEpoch, LoraTraining, LoraVersion
from anime_studio.lora.presets import PRESETS
from anime_studio.lora.schemas import (
    EpochRead,
    LoraVersionRead,
    LossRead,
    PresetRead,
    PromoteRequest,
    PromoteResult,
    RerenderRequest,
    RerenderResult,
    SampleRead,
    TrainingRead,
    TrainingStart,
)

router = APIRouter(prefix="/training", tags=["lora training"])
CharacterFilter = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]


async def _read(session: SessionDep, training: LoraTraining) -> TrainingRead:
    run = await service.run_of(session=session, training=training)
    return TrainingRead(
        id=training.id,
        character_id=training.character_id,
        run_id=training.run_id,
        status=run.status.value if run else "unknown",
        message=run.message if run else "",
        preset=training.preset,
        engine=training.engine,
        settings=training.settings,
        dataset_snapshot=training.dataset_snapshot,
        dataset_count=int(training.manifest.get("count", 0)),
        step=training.step,
        total_steps=training.total_steps,
        epoch=training.epoch,
        total_epochs=int(training.settings.get("epochs", 0)),
        eta_seconds=training.eta_seconds,
        best_epoch=training.best_epoch,
        created_at=training.created_at,
    )


def _epoch(request: Request, training: LoraTraining, row: LoraEpoch) -> EpochRead:
    base = f"{request.scope.get('root_path', '')}/api/lora/training/jobs/{training.id}/epochs/{row.epoch}/samples"
    return EpochRead(
        epoch=row.epoch,
        loss=row.loss,
        steps=row.steps,
        score=row.score,
        best=row.epoch == training.best_epoch,
        samples=[
            SampleRead(
                index=int(s["index"]),
                seed=int(s["seed"]),
                prompt=str(s["prompt"]),
                url=f"{base}/{int(s['index'])}?v={row.updated_at.timestamp():.0f}",
                score=s.get("score"),
                issues=list(s.get("issues", [])),
            )
            for s in row.samples
        ],
    )


def _version(row: LoraVersion) -> LoraVersionRead:
    return LoraVersionRead.model_validate(row)


@router.get("/presets", response_model=list[PresetRead], summary="Training presets")
async def presets(_: CurrentUser) -> list[PresetRead]:
    """The presets of the start form (character LoRA for SD 1.5 and SDXL) with their settings."""
    return list(PRESETS.values())


@router.post("/jobs", response_model=TrainingRead, status_code=status.HTTP_202_ACCEPTED, summary="Start a training")
async def start_training(
    body: TrainingStart,
    principal: EditorUser,
    session: SessionDep,
    paths: PathsDep,
    engines: EnginesDep,
    settings: SettingsDep,
) -> TrainingRead:
    """Snapshot the character's approved dataset and queue a training run; bad settings are refused first."""
    training = await service.start(
        session=session,
        paths=paths,
        engine=engines.training,
        body=body,
        user_id=principal.user.id,
        min_images=settings.lora_min_images,
    )
    return await _read(session, training)


@router.get("/jobs", response_model=list[TrainingRead], summary="Training history")
async def training_history(
    _: CurrentUser,
    session: SessionDep,
    character_id: CharacterFilter = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[TrainingRead]:
    """Trainings, newest first, optionally of one character."""
    rows = await service.history(session=session, character_id=character_id, limit=limit)
    return [await _read(session, row) for row in rows]


@router.get("/jobs/{training_id}", response_model=TrainingRead, summary="Training status")
async def training_status(training_id: ItemId, _: CurrentUser, session: SessionDep) -> TrainingRead:
    """Status, step and epoch, ETA and best epoch of one training."""
    return await _read(session, await service.get(session=session, training_id=training_id))


@router.get("/jobs/{training_id}/loss", response_model=LossRead, summary="Loss series")
async def training_loss(training_id: ItemId, _: CurrentUser, session: SessionDep) -> LossRead:
    """Every recorded ``[step, loss]`` of the training, in step order."""
    training = await service.get(session=session, training_id=training_id)
    return LossRead(training_id=training.id, points=[(int(s), float(v)) for s, v in training.loss])


@router.get("/jobs/{training_id}/epochs", response_model=list[EpochRead], summary="Epochs with samples and scores")
async def training_epochs(
    training_id: ItemId, request: Request, _: CurrentUser, session: SessionDep
) -> list[EpochRead]:
    """The finished epochs: mean loss, sample renders, consistency score; the best one is marked."""
    training = await service.get(session=session, training_id=training_id)
    return [_epoch(request, training, row) for row in await service.epochs(session=session, training_id=training.id)]


@router.get("/jobs/{training_id}/epochs/{epoch}/samples/{index}", response_class=FileResponse, summary="A sample image")
async def training_sample(
    training_id: ItemId,
    epoch: Annotated[int, PathParam(ge=1, le=1000)],
    index: Annotated[int, PathParam(ge=0, le=100)],
    _: CurrentUser,
    session: SessionDep,
    paths: PathsDep,
) -> FileResponse:
    """One sample render of one epoch (PNG)."""
    rows = await service.epochs(session=session, training_id=training_id)
    row = next((r for r in rows if r.epoch == epoch), None)
    sample = next((s for s in row.samples if int(s["index"]) == index), None) if row else None
    path = paths.inside(str(sample["path"])) if sample else None
    if path is None or not path.is_file():
        raise NotFound(f"training {training_id} has no sample {index} of epoch {epoch}")
    return FileResponse(path, media_type="image/png", content_disposition_type="inline")


@router.post("/jobs/{training_id}/cancel", response_model=TrainingRead, summary="Cancel a training")
async def cancel_training(training_id: ItemId, _: EditorUser, session: SessionDep) -> TrainingRead:
    """Stop the training; the epochs already finished stay usable and a resume continues after them."""
    training = await service.get(session=session, training_id=training_id)
    if training.run_id is None:
        raise NotFound(f"training {training_id} has no run")
    await jobs.cancel(session=session, run=await jobs.get(session=session, run_id=training.run_id))
    return await _read(session, training)


@router.post("/jobs/{training_id}/resume", response_model=TrainingRead, summary="Resume a training")
async def resume_training(training_id: ItemId, _: EditorUser, session: SessionDep) -> TrainingRead:
    """Queue a cancelled or failed training again; it continues after its last finished epoch."""
    training = await service.get(session=session, training_id=training_id)
    if training.run_id is None:
        raise NotFound(f"training {training_id} has no run")
    await jobs.retry(session=session, run=await jobs.get(session=session, run_id=training.run_id))
    return await _read(session, training)


@router.post("/jobs/{training_id}/promote", response_model=PromoteResult, summary="Promote an epoch")
async def promote_epoch(
    training_id: ItemId, body: PromoteRequest, principal: EditorUser, session: SessionDep
) -> PromoteResult:
    """Make an epoch (default: the best) the character's active LoRA version, used by generation from now on."""
    version, previous, images, shots = await service.promote(
        session=session, training_id=training_id, epoch=body.epoch, user_id=principal.user.id
    )
    return PromoteResult(
        version=_version(version),
        previous=_version(previous) if previous else None,
        rerender_asset_ids=images,
        rerender_shot_ids=shots,
    )


@router.get("/versions", response_model=list[LoraVersionRead], summary="LoRA versions of a character")
async def lora_versions(
    _: CurrentUser, session: SessionDep, character_id: Annotated[int, Query(ge=1, le=MAX_DB_INT)]
) -> list[LoraVersionRead]:
    """Every promoted version, newest first; ``active`` marks the one generation uses."""
    return [_version(v) for v in await service.versions(session=session, character_id=character_id)]


@router.post("/rerender", response_model=RerenderResult, status_code=status.HTTP_202_ACCEPTED, summary="Re-render")
async def rerender(body: RerenderRequest, principal: EditorUser, session: SessionDep) -> RerenderResult:
    """Queue the given images again (same character and seed) and the given shots (their scene's run) with the
    characters' active LoRA versions."""
    runs = []
    if body.asset_ids:
        runs += await service.rerender(session=session, asset_ids=body.asset_ids, user_id=principal.user.id)
    if body.shot_ids:
        runs += await service.rerender_shots(session=session, shot_ids=body.shot_ids, user_id=principal.user.id)
    return RerenderResult(run_ids=[r.id for r in runs])
