"""``/api/lora/jobs``: list, inspect, cancel and retry runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from anime_studio.common.pagination import Page
from anime_studio.common.types import MAX_DB_INT
from anime_studio.deps import CurrentUser, EditorUser, ItemId, Limit, Offset, SessionDep
from anime_studio.jobs import service
from anime_studio.jobs.models import RunStatus
from anime_studio.jobs.schemas import RunRead

router = APIRouter(tags=["jobs"])

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_DB_INT)]


@router.get("/jobs", response_model=Page[RunRead])
async def list_jobs(
    _: CurrentUser,
    session: SessionDep,
    status: Annotated[list[RunStatus] | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=64)] = None,
    project_id: OptionalId = None,
    subject_type: Annotated[str | None, Query(max_length=32)] = None,
    subject_id: OptionalId = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[RunRead]:
    """Runs, newest first; filter by status (repeatable), kind, project or subject."""
    runs, total = await service.list_runs(
        session=session,
        limit=limit,
        offset=offset,
        status=status,
        kind=kind,
        project_id=project_id,
        subject_type=subject_type,
        subject_id=subject_id,
    )
    return Page(items=[RunRead.model_validate(r) for r in runs], total=total, limit=limit, offset=offset)


@router.get("/jobs/{job_id}", response_model=RunRead)
async def get_job(job_id: ItemId, _: CurrentUser, session: SessionDep) -> RunRead:
    """One run with its progress, result or error."""
    return RunRead.model_validate(await service.get(session=session, run_id=job_id))


@router.post("/jobs/{job_id}/cancel", response_model=RunRead)
async def cancel_job(job_id: ItemId, _: EditorUser, session: SessionDep) -> RunRead:
    """Cancel a queued run, or stop a running one (it reports ``cancelled`` within seconds)."""
    run = await service.get(session=session, run_id=job_id)
    return RunRead.model_validate(await service.cancel(session=session, run=run))


@router.post("/jobs/{job_id}/retry", response_model=RunRead)
async def retry_job(job_id: ItemId, _: EditorUser, session: SessionDep) -> RunRead:
    """Run a failed or cancelled run again; work already on disk is reused."""
    run = await service.get(session=session, run_id=job_id)
    return RunRead.model_validate(await service.retry(session=session, run=run))
