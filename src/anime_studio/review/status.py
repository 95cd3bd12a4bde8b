"""Review status per shot, scene and episode: todo → in review → approved | retake, with history."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.errors import Conflict, Invalid
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.review import pointers
from anime_studio.review.models import ReviewState, StatusChange
from anime_studio.review.versions import state_for


async def state(*, session: AsyncSession, subject_type: str, subject_id: int) -> ReviewState:
    project_id = await pointers.project_of(session=session, subject_type=subject_type, subject_id=subject_id)
    return await state_for(session=session, subject_type=subject_type, subject_id=subject_id, project_id=project_id)


async def set_status(
    *, session: AsyncSession, subject_type: str, subject_id: int, status: str, reason: str, user_id: int
) -> ReviewState:
    """Approve the current version, ask for a retake (a reason is required), or move back to todo / in review."""
    row = await state(session=session, subject_type=subject_type, subject_id=subject_id)
    if status in ("approved", "retake") and row.current_version_id is None:
        raise Conflict(f"{subject_type} {subject_id} has no version to review yet: generate it first")
    if status == "retake" and not reason.strip():
        raise Invalid("a retake needs a reason: say what to change")
    row.status, row.reason, row.changed_by = status, reason.strip(), user_id
    row.changed_at = datetime.now(UTC)
    if status == "approved":
        row.approved_version_id = row.current_version_id
    session.add(
        StatusChange(
            state_id=row.id, version_id=row.current_version_id, status=status, reason=row.reason, user_id=user_id
        )
    )
    await session.flush()
    emit(
        session,
        names.REVIEW_UPDATED,
        {
            "subject_type": subject_type,
            "subject_id": subject_id,
            "project_id": row.project_id,
            "status": status,
            "version_id": row.current_version_id,
        },
    )
    return row


async def history(*, session: AsyncSession, state_id: int) -> list[StatusChange]:
    rows = await session.scalars(
        select(StatusChange).where(StatusChange.state_id == state_id).order_by(StatusChange.id)
    )
    return list(rows.all())
