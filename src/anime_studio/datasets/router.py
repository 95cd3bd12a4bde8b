"""Approval of dataset images and the reference images of characters."""

from __future__ import annotations

import asyncio
import pathlib
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, UploadFile, status
from fastapi.responses import FileResponse

from anime_studio.assets.models import AssetStatus
from anime_studio.assets.router import read
from anime_studio.assets.schemas import AssetRead
from anime_studio.characters import service as characters
from anime_studio.common.types import MAX_DB_INT
from anime_studio.datasets import service
from anime_studio.datasets.schemas import ApprovalRequest, ReferenceImages
from anime_studio.deps import CurrentUser, EditorUser, ItemId, ReviewerUser, SessionDep, get_paths
from anime_studio.errors import PayloadTooLarge
from anime_studio.projects import service as projects

router = APIRouter(tags=["datasets"])

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]
MAX_REFERENCE_BYTES = 25 * 1024 * 1024


@router.get("/approval/pending", response_model=list[AssetRead])
async def pending_images(
    request: Request,
    _: CurrentUser,
    session: SessionDep,
    project_id: OptionalId = None,
    character_id: OptionalId = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 200,
) -> list[AssetRead]:
    """Dataset images waiting for a person's decision, newest first."""
    rows = await service.pending(session=session, project_id=project_id, character_id=character_id, limit=limit)
    return [read(request, a) for a in rows]


@router.post("/approval/approve", response_model=list[AssetRead])
async def approve_images(
    body: ApprovalRequest, request: Request, principal: ReviewerUser, session: SessionDep
) -> list[AssetRead]:
    """Approve (``approved: true``) or reject dataset images; emits image.approved / image.rejected."""
    rows = await service.judge(
        session=session,
        asset_ids=body.asset_ids,
        status=AssetStatus.approved if body.approved else AssetStatus.rejected,
        reviewer=principal.user.id,
        by=principal.user.username,
        reason=body.feedback,
    )
    paths = get_paths(request)
    for character_id in {a.character_id for a in rows if a.character_id is not None}:
        character = await characters.get(session=session, character_id=character_id)
        await service.sync_approval_file(session=session, paths=paths, character=character)
    return [read(request, a) for a in rows]


async def _reference_folder(request: Request, session: SessionDep, character_id: int) -> pathlib.Path:
    character = await characters.get(session=session, character_id=character_id)
    project = await projects.get(session=session, project_id=character.project_id)
    return service.reference_dir(get_paths(request), project, character)


@router.get("/characters/{character_id}/reference-images", response_model=ReferenceImages)
async def list_reference_images(
    character_id: ItemId, request: Request, _: CurrentUser, session: SessionDep
) -> ReferenceImages:
    """The character's IP-Adapter reference images."""
    folder = await _reference_folder(request, session, character_id)
    names = [p.name for p in service.list_references(folder)]
    return ReferenceImages(character_id=character_id, images=names, count=len(names))


@router.post(
    "/characters/{character_id}/reference-images", response_model=ReferenceImages, status_code=status.HTTP_201_CREATED
)
async def upload_reference_image(
    character_id: ItemId, file: UploadFile, request: Request, _: EditorUser, session: SessionDep
) -> ReferenceImages:
    """Upload a reference image (PNG/JPEG/WebP); used for IP-Adapter conditioning when available."""
    folder = await _reference_folder(request, session, character_id)
    data = await file.read(MAX_REFERENCE_BYTES + 1)
    if len(data) > MAX_REFERENCE_BYTES:
        raise PayloadTooLarge("reference images are limited to 25 MB")
    await asyncio.to_thread(service.save_reference, folder, filename=file.filename or "reference", data=data)
    names = [p.name for p in service.list_references(folder)]
    return ReferenceImages(character_id=character_id, images=names, count=len(names))


ReferenceName = Annotated[str, Path(max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")]


@router.get("/characters/{character_id}/reference-images/{name}", response_class=FileResponse)
async def get_reference_image(
    character_id: ItemId, name: ReferenceName, request: Request, _: CurrentUser, session: SessionDep
) -> FileResponse:
    """One reference image (PNG), for previews."""
    folder = await _reference_folder(request, session, character_id)
    path = service.reference_file(folder, name)
    return FileResponse(path, media_type="image/png", headers={"Cache-Control": "private, max-age=3600"})


@router.delete("/characters/{character_id}/reference-images/{name}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_reference_image(
    character_id: ItemId,
    name: ReferenceName,
    request: Request,
    _: EditorUser,
    session: SessionDep,
) -> None:
    """Remove a reference image."""
    folder = await _reference_folder(request, session, character_id)
    service.delete_reference(folder, name)
