"""``/api/lora/learning/…``: what works per character, and quality-drift warnings."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import APIRouter, Query

from anime_studio.common.types import DbId
from anime_studio.deps import CurrentUser, ItemId, ReviewerUser, SessionDep
from anime_studio.learning import service
from anime_studio.learning.analysis import ParameterStat
from anime_studio.learning.schemas import DriftWarningRead, InsightsRead, ParameterRate, ReasonCount, Suggested

router = APIRouter(prefix="/learning", tags=["learning"])


def _rate(stat: ParameterStat) -> ParameterRate:
    return ParameterRate(
        dimension=stat.dimension,
        value=stat.value,
        approved=stat.approved,
        decided=stat.decided,
        success_rate=round(stat.success_rate, 4),
        mean_score=None if stat.mean_score is None else round(stat.mean_score, 4),
    )


@router.get("/characters/{character_id}/insights", response_model=InsightsRead)
async def insights(character_id: ItemId, _: CurrentUser, session: SessionDep) -> InsightsRead:
    """Success rate by parameter, most frequent reject reasons and suggested parameters for a character."""
    found = await service.insights(session=session, character_id=character_id)
    decided = found.totals.approved + found.totals.rejected
    return InsightsRead(
        character_id=found.character_id,
        approved=found.totals.approved,
        rejected=found.totals.rejected,
        pending=found.totals.pending,
        approval_rate=round(found.totals.approved / decided, 4) if decided else None,
        mean_score=None if found.totals.mean_score is None else round(found.totals.mean_score, 4),
        parameters=[_rate(s) for s in found.parameters],
        what_works=[_rate(s) for s in found.what_works],
        reject_reasons=[ReasonCount(reason=r, count=n) for r, n in found.reject_reasons],
        suggested=Suggested(**dataclasses.asdict(found.suggested)),
    )


@router.get("/drift-warnings", response_model=list[DriftWarningRead])
async def drift_warnings(
    _: CurrentUser,
    session: SessionDep,
    project_id: Annotated[DbId | None, Query()] = None,
    character_id: Annotated[DbId | None, Query()] = None,
    include_dismissed: bool = False,
) -> list[DriftWarningRead]:
    """Quality-drift warnings (open ones unless ``include_dismissed``), newest first."""
    rows = await service.warnings(
        session=session, project_id=project_id, character_id=character_id, include_dismissed=include_dismissed
    )
    return [DriftWarningRead.model_validate(w) for w in rows]


@router.post("/drift-warnings/{warning_id}/dismiss", response_model=DriftWarningRead)
async def dismiss(warning_id: ItemId, principal: ReviewerUser, session: SessionDep) -> DriftWarningRead:
    """Hide a drift warning from the Approve tab."""
    warning = await service.dismiss(session=session, warning_id=warning_id, user_id=principal.user.id)
    return DriftWarningRead.model_validate(warning)
