"""``/api/lora/learning/…``: the auto-correction switch, manual corrections and the correction history."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset
from anime_studio.assets.urls import asset_urls
from anime_studio.correction import service
from anime_studio.correction.models import Correction
from anime_studio.correction.schemas import (
    AutoCorrectionSetting,
    AutoCorrectionUpdate,
    CorrectionRead,
    CorrectionRequest,
    ImageLink,
)
from anime_studio.deps import CurrentUser, EditorUser, ItemId, Limit, ProjectId, ReviewerUser, SessionDep
from anime_studio.projects import service as projects

router = APIRouter(prefix="/learning", tags=["learning"])


def _link(request: Request, asset: Asset | None) -> ImageLink | None:
    if asset is None:
        return None
    urls = asset_urls(request.scope.get("root_path", ""), asset)
    return ImageLink(
        id=asset.id,
        status=asset.status.value,
        width=asset.width,
        height=asset.height,
        quality_score=asset.quality_score,
        **urls,
    )


async def _read(request: Request, session: AsyncSession, rows: list[Correction]) -> list[CorrectionRead]:
    ids = {i for c in rows for i in (c.original_asset_id, c.corrected_asset_id) if i is not None}
    found = {a.id: a for a in (await session.scalars(select(Asset).where(Asset.id.in_(ids)))).all()} if ids else {}
    return [
        CorrectionRead(
            id=c.id,
            character_id=c.character_id,
            strategy=c.strategy,
            reason=c.reason,
            status=c.status,
            detail=c.detail,
            run_id=c.run_id,
            original=_link(request, found.get(c.original_asset_id)),
            corrected=_link(request, found.get(c.corrected_asset_id) if c.corrected_asset_id else None),
            created_at=c.created_at,
        )
        for c in rows
    ]


@router.get("/projects/{project_id}/auto-correction", response_model=AutoCorrectionSetting)
async def get_auto_correction(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> AutoCorrectionSetting:
    """Whether rejected images of this project are corrected automatically (off by default)."""
    await projects.get(session=session, project_id=project_id)
    return AutoCorrectionSetting(
        project_id=project_id, enabled=await service.enabled(session=session, project_id=project_id)
    )


@router.put("/projects/{project_id}/auto-correction", response_model=AutoCorrectionSetting)
async def put_auto_correction(
    project_id: ProjectId, body: AutoCorrectionUpdate, _: EditorUser, session: SessionDep
) -> AutoCorrectionSetting:
    """Switch auto-correction on or off for a project."""
    value = await service.set_enabled(session=session, project_id=project_id, value=body.enabled)
    return AutoCorrectionSetting(project_id=project_id, enabled=value)


@router.post("/corrections", response_model=CorrectionRead, status_code=status.HTTP_202_ACCEPTED)
async def correct(
    body: CorrectionRequest, request: Request, principal: ReviewerUser, session: SessionDep
) -> CorrectionRead:
    """Correct one rejected image now (strategy from its review unless given); the result comes back pending."""
    correction = await service.request(
        session=session, asset_id=body.asset_id, strategy=body.strategy, user_id=principal.user.id
    )
    return (await _read(request, session, [correction]))[0]


@router.get("/characters/{character_id}/corrections", response_model=list[CorrectionRead])
async def corrections(
    character_id: ItemId, request: Request, _: CurrentUser, session: SessionDep, limit: Limit = 50
) -> list[CorrectionRead]:
    """The character's corrections, newest first: original → corrected, strategy, what changed."""
    rows = await service.history(session=session, character_id=character_id, limit=limit)
    return await _read(request, session, rows)
