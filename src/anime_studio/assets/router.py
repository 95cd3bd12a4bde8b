"""The gallery (keyset-paged, filterable) and asset files with HTTP Range support."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import FileResponse

from anime_studio.assets import service
from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.assets.schemas import AssetDetail, AssetRead, GalleryPage
from anime_studio.assets.urls import asset_urls
from anime_studio.common.types import MAX_DB_INT
from anime_studio.deps import CurrentUser, ItemId, SessionDep, get_paths
from anime_studio.errors import NotFound
from anime_studio.media.thumbnails import NoThumbnail, thumbnail

router = APIRouter(tags=["gallery"])

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]


def _urls(request: Request, asset: Asset) -> dict[str, str]:
    return asset_urls(request.scope.get("root_path", ""), asset)


def read(request: Request, asset: Asset) -> AssetRead:
    return AssetRead.model_validate(asset).model_copy(update=_urls(request, asset))


@router.get("/gallery", response_model=GalleryPage)
async def gallery(
    request: Request,
    _: CurrentUser,
    session: SessionDep,
    project_id: OptionalId = None,
    character_id: OptionalId = None,
    scene_id: OptionalId = None,
    episode_id: OptionalId = None,
    kind: Annotated[list[AssetKind] | None, Query()] = None,
    status: Annotated[list[AssetStatus] | None, Query()] = None,
    since: datetime | None = None,
    until: datetime | None = None,
    cursor: Annotated[str | None, Query(max_length=200)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> GalleryPage:
    """Everything the studio produced, newest first; pass ``next_cursor`` back as ``cursor`` for more."""
    filters = service.GalleryFilter(
        project_id=project_id,
        character_id=character_id,
        scene_id=scene_id,
        episode_id=episode_id,
        kinds=kind or [],
        statuses=status or [],
        since=since,
        until=until,
    )
    items, next_cursor = await service.page(session=session, filters=filters, limit=limit, cursor=cursor)
    return GalleryPage(items=[read(request, a) for a in items], next_cursor=next_cursor)


@router.get("/assets/{asset_id}", response_model=AssetDetail)
async def get_asset(asset_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> AssetDetail:
    """One asset with its review and full provenance (engine, workflow, seed, prompts)."""
    asset = await service.get(session=session, asset_id=asset_id)
    return AssetDetail.model_validate(asset).model_copy(update=_urls(request, asset))


@router.get("/assets/{asset_id}/file", response_class=FileResponse)
@router.head("/assets/{asset_id}/file", include_in_schema=False)
async def get_asset_file(asset_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The file itself (images, MP4 with Range requests for seeking)."""
    asset = await service.get(session=session, asset_id=asset_id)
    path = get_paths(request).inside(asset.path)
    if not path.is_file():
        raise NotFound(f"the file of asset {asset_id} is missing on disk")
    return FileResponse(path, media_type=asset.mime, filename=path.name, content_disposition_type="inline")


@router.get("/assets/{asset_id}/thumbnail", response_class=FileResponse)
@router.head("/assets/{asset_id}/thumbnail", include_in_schema=False)
async def get_asset_thumbnail(asset_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> FileResponse:
    """A JPEG thumbnail (first frame for videos, a waveform for audio; 404 for other files)."""
    asset = await service.get(session=session, asset_id=asset_id)
    paths = get_paths(request)
    source = paths.inside(asset.path)
    if not source.is_file():
        raise NotFound(f"the file of asset {asset_id} is missing on disk")
    try:
        target = await thumbnail(source, paths.thumbnails() / f"{asset.id}.jpg")
    except NoThumbnail as error:
        raise NotFound(f"asset {asset_id} has no thumbnail: {error}") from error
    return FileResponse(target, media_type="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})
