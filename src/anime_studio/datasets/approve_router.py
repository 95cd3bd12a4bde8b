"""The Approve tab's API: ingestion runs, the filtered dataset view, decisions, captions, promotion, export."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from anime_studio.assets.models import Asset, AssetStatus
from anime_studio.assets.urls import asset_urls
from anime_studio.characters import service as characters
from anime_studio.datasets import browse, captions, export, intake
from anime_studio.datasets import service as datasets
from anime_studio.datasets.schemas import (
    CaptionUpdate,
    DatasetImage,
    DatasetView,
    ExportResult,
    LinkIngest,
    ReviewDecision,
    StatusCounts,
)
from anime_studio.deps import CurrentUser, EditorUser, ItemId, ReviewerUser, SessionDep, get_paths
from anime_studio.jobs.schemas import RunRead

router = APIRouter(tags=["datasets"])

Every = Annotated[float, Form(ge=0.5, le=60, description="also take one frame every this many seconds")]


def _image(request: Request, asset: Asset) -> DatasetImage:
    review = {k: v for k, v in (asset.review or {}).items() if k != "decisions"}
    provenance = asset.provenance or {}
    return DatasetImage(
        id=asset.id,
        status=asset.status,
        **asset_urls(request.scope.get("root_path", ""), asset),
        width=asset.width,
        height=asset.height,
        quality_score=asset.quality_score,
        source=str(provenance.get("source", "generated")),
        caption=captions.read_caption(get_paths(request).inside(asset.path)),
        review=review,
        decisions=list((asset.review or {}).get("decisions", [])),
        provenance=provenance,
        created_at=asset.created_at,
    )


@router.get("/datasets/{character_id}", response_model=DatasetView, summary="A character's dataset")
async def dataset_view(
    character_id: ItemId,
    request: Request,
    _: CurrentUser,
    session: SessionDep,
    status_: Annotated[list[AssetStatus] | None, Query(alias="status")] = None,
    source: Annotated[str | None, Query(pattern="^(upload|video|url|generated)$")] = None,
    min_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    max_score: Annotated[float | None, Query(ge=0, le=1)] = None,
    failed_check: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=2000)] = 500,
) -> DatasetView:
    """Images (in upload order) with scores, checklist, species check, caption and provenance; counts vs target."""
    character = await characters.get(session=session, character_id=character_id)
    filters = browse.Filters(list(status_ or []), source, min_score, max_score, failed_check, limit)
    rows = await browse.images(session=session, character=character, filters=filters)
    folder = await browse.dataset_folder(session, get_paths(request), character)
    return DatasetView(
        character_id=character.id,
        settings=captions.load_settings(folder, character),
        counts=StatusCounts(**await browse.counts(session=session, character_id=character.id)),
        items=[_image(request, a) for a in rows],
        reject_reasons=browse.reject_reasons(character),
        checks=await browse.checks(session=session, character_id=character.id),
    )


@router.put("/datasets/{character_id}/settings", response_model=captions.DatasetSettings, summary="Dataset settings")
async def put_settings(
    character_id: ItemId, body: captions.DatasetSettings, request: Request, _: EditorUser, session: SessionDep
) -> captions.DatasetSettings:
    """Trigger word (blank: the character's slug), kohya repeats and the target approved count.

    A new trigger word replaces the old one at the head of every caption that starts with it."""
    character = await characters.get(session=session, character_id=character_id)
    folder = await browse.dataset_folder(session, get_paths(request), character)
    return await asyncio.to_thread(captions.update_settings, folder, character, body)


@router.post("/datasets/{character_id}/review", response_model=list[DatasetImage], summary="Approve, reject or undo")
async def review(
    character_id: ItemId, body: ReviewDecision, request: Request, principal: ReviewerUser, session: SessionDep
) -> list[DatasetImage]:
    """Set images of this character to approved / rejected (with a reason) / pending (undo); emits events."""
    character = await characters.get(session=session, character_id=character_id)
    rows = await datasets.judge(
        session=session,
        asset_ids=body.asset_ids,
        status=AssetStatus(body.status),
        reviewer=principal.user.id,
        by=principal.user.username,
        reason=body.reason,
        character_id=character.id,
    )
    await datasets.sync_approval_file(session=session, paths=get_paths(request), character=character)
    return [_image(request, a) for a in rows]


@router.put("/dataset-images/{asset_id}/caption", response_model=DatasetImage, summary="Edit a caption")
async def put_caption(
    asset_id: ItemId, body: CaptionUpdate, request: Request, _: ReviewerUser, session: SessionDep
) -> DatasetImage:
    """Replace the caption stored beside the image (``.txt``)."""
    asset = await browse.set_caption(session=session, paths=get_paths(request), asset_id=asset_id, caption=body.caption)
    return _image(request, asset)


@router.post("/dataset-images/{asset_id}/promote", summary="Promote to reference image")
async def promote(asset_id: ItemId, request: Request, _: EditorUser, session: SessionDep) -> dict[str, str]:
    """Copy an approved image into the character's IP-Adapter reference images."""
    return {"name": await browse.promote(session=session, paths=get_paths(request), asset_id=asset_id)}


@router.post(
    "/datasets/{character_id}/ingest/images",
    response_model=RunRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ingest images",
)
async def ingest_images(
    character_id: ItemId,
    request: Request,
    principal: EditorUser,
    session: SessionDep,
    files: Annotated[list[UploadFile], File(description="images, or zips of images")],
) -> RunRead:
    """Images become pending dataset images (duplicates skipped), reviewed and triaged, in a run."""
    user = (principal.user.id, principal.user.username)
    run = await intake.images(
        session=session, paths=get_paths(request), character_id=character_id, files=files, user=user
    )
    return RunRead.model_validate(run)


@router.post(
    "/datasets/{character_id}/ingest/video",
    response_model=RunRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ingest video frames",
)
async def ingest_video(
    character_id: ItemId,
    request: Request,
    principal: EditorUser,
    session: SessionDep,
    file: Annotated[UploadFile, File(description="a video file")],
    every: Every = 2.0,
) -> RunRead:
    """Frames at scene cuts and every ``every`` s; black, blurred and duplicate frames are dropped."""
    user = (principal.user.id, principal.user.username)
    run = await intake.video(
        session=session, paths=get_paths(request), character_id=character_id, file=file, every=every, user=user
    )
    return RunRead.model_validate(run)


@router.post(
    "/datasets/{character_id}/ingest/url",
    response_model=RunRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Ingest frames of a linked video",
)
async def ingest_url(
    character_id: ItemId, body: LinkIngest, request: Request, principal: EditorUser, session: SessionDep
) -> RunRead:
    """A video page or link (http/https; YouTube and other yt-dlp sites) → frames, as for a video upload."""
    user = (principal.user.id, principal.user.username)
    run = await intake.link(
        session=session, paths=get_paths(request), character_id=character_id, url=body.url, every=body.every, user=user
    )
    return RunRead.model_validate(run)


@router.post(
    "/datasets/{character_id}/triage",
    response_model=RunRead,
    status_code=status.HTTP_202_ACCEPTED,
    summary="Review pending images again",
)
async def retriage(character_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """The vision engine reviews every pending image again and the current quality gates triage it."""
    run = await intake.retriage(
        session=session, character_id=character_id, user=(principal.user.id, principal.user.username)
    )
    return RunRead.model_validate(run)


@router.get("/datasets/{character_id}/export.zip", response_class=FileResponse, summary="Download the dataset")
async def export_zip(character_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> FileResponse:
    """Approved images + captions in kohya layout (``{repeats}_{trigger}/``) with ``manifest.json``."""
    character = await characters.get(session=session, character_id=character_id)
    target, name = await export.to_zip(session=session, paths=get_paths(request), character=character)
    return FileResponse(
        target, media_type="application/zip", filename=name, background=BackgroundTask(target.unlink, missing_ok=True)
    )


@router.post("/datasets/{character_id}/export", response_model=ExportResult, summary="Export the dataset to a folder")
async def export_folder(character_id: ItemId, request: Request, _: EditorUser, session: SessionDep) -> ExportResult:
    """Write the snapshot under ``exports/datasets/{project}/{character}/{snapshot}/`` in the media root."""
    paths = get_paths(request)
    character = await characters.get(session=session, character_id=character_id)
    written, manifest = await export.to_folder(session=session, paths=paths, character=character)
    return ExportResult(folder=paths.relative(written), manifest=manifest)
