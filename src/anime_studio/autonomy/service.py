"""The loop's state in the database: settings, enrolment, guard snapshots, batches and the checks that start them.

Every decision that starts work is taken under one transaction-scoped advisory lock, so the guards hold
across any number of workers; nothing about the loop lives in a process's memory."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.autonomy.guards import Limits, Snapshot, Verdict, evaluate
from anime_studio.autonomy.models import ReplenishmentBatch, ReplenishmentCharacter, ReplenishmentSettings
from anime_studio.characters.models import Character
from anime_studio.errors import NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.generation.schemas import MAX_SEED
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run, RunStatus

CHECK, GENERATE, REVIEW = "replenish.check", "replenish.generate", "replenish.review"
ACTIVE_RUN = (RunStatus.queued, RunStatus.running)
LOCK_KEY = 0x5EF111  # pg_advisory_xact_lock key of the replenishment loop
GUARD_FIELDS = (
    "cooldown_seconds",
    "daily_limit",
    "max_consecutive_rejects",
    "pending_buffer",
    "max_concurrent",
    "batch_size",
)


async def settings(*, session: AsyncSession, for_update: bool = False) -> ReplenishmentSettings:
    """The loop's one settings row (created with the spec's defaults on first use)."""
    await session.execute(insert(ReplenishmentSettings).values(id=1).on_conflict_do_nothing())
    query = select(ReplenishmentSettings).where(ReplenishmentSettings.id == 1).execution_options(populate_existing=True)
    row = await session.scalar(query.with_for_update() if for_update else query)
    assert row is not None
    return row


def limits_of(row: ReplenishmentSettings) -> Limits:
    return Limits(enabled=row.enabled, **{name: getattr(row, name) for name in GUARD_FIELDS})


async def update_settings(*, session: AsyncSession, values: dict[str, Any]) -> ReplenishmentSettings:
    """Change guard limits (and/or the switch); takes effect at the next check of every worker."""
    row = await settings(session=session, for_update=True)
    for name, value in values.items():
        setattr(row, name, value)
    await session.flush()
    return row


async def lock(session: AsyncSession) -> None:
    """Serialise loop decisions across processes until the caller's transaction ends."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})


async def enrolment(*, session: AsyncSession, character_id: int) -> ReplenishmentCharacter | None:
    return await session.get(ReplenishmentCharacter, character_id, populate_existing=True)


async def enrol(*, session: AsyncSession, character_id: int, active: bool) -> ReplenishmentCharacter:
    """Start (or stop) replenishing a character; starting again forgets its earlier reject streak."""
    values = {"character_id": character_id, "active": active, "streak_since": func.now()}
    await session.execute(
        insert(ReplenishmentCharacter)
        .values(**values)
        .on_conflict_do_update(index_elements=["character_id"], set_={"active": active, "streak_since": func.now()})
    )
    row = await enrolment(session=session, character_id=character_id)
    assert row is not None
    return row


async def enrolled(*, session: AsyncSession) -> list[ReplenishmentCharacter]:
    rows = await session.scalars(select(ReplenishmentCharacter).order_by(ReplenishmentCharacter.character_id))
    return list(rows.all())


async def reset_streaks(*, session: AsyncSession) -> None:
    await session.execute(update(ReplenishmentCharacter).values(streak_since=func.now()))


def _active_batches() -> Any:
    return (
        select(ReplenishmentBatch)
        .join(Run, Run.id == ReplenishmentBatch.run_id)
        .where(ReplenishmentBatch.step != "done", Run.status.in_(ACTIVE_RUN))
    )


async def active_batches(*, session: AsyncSession) -> list[ReplenishmentBatch]:
    return list((await session.scalars(_active_batches().order_by(ReplenishmentBatch.id))).all())


async def _image_counts(session: AsyncSession, character_id: int) -> dict[str, int]:
    rows = await session.execute(
        select(Asset.status, func.count())
        .where(Asset.character_id == character_id, Asset.kind == AssetKind.image)
        .group_by(Asset.status)
    )
    return {status.value: n for status, n in rows.all()}


def day_start(now: datetime) -> datetime:
    """The daily limit counts from midnight UTC."""
    return now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


async def _reject_streak(session: AsyncSession, row: ReplenishmentCharacter, limit: int) -> int:
    """Rejected images in a row among the loop's newest images of the character (since its last resume)."""
    statuses = await session.scalars(
        select(Asset.status)
        .where(
            Asset.character_id == row.character_id,
            Asset.provenance.has_key("replenishment_batch"),
            Asset.created_at >= row.streak_since,
        )
        .order_by(Asset.id.desc())
        .limit(max(1, limit))
    )
    streak = 0
    for status in statuses.all():
        if status != AssetStatus.rejected:
            break
        streak += 1
    return streak


async def snapshot(*, session: AsyncSession, character_id: int, target: int, limits: Limits, now: datetime) -> Snapshot:
    """Everything the guards look at for one character, read from the database."""
    row = await enrolment(session=session, character_id=character_id)
    counts = await _image_counts(session, character_id)
    today = await session.scalar(
        select(func.coalesce(func.sum(ReplenishmentBatch.size), 0)).where(
            ReplenishmentBatch.character_id == character_id, ReplenishmentBatch.created_at >= day_start(now)
        )
    )
    last = await session.scalar(
        select(func.max(ReplenishmentBatch.created_at)).where(ReplenishmentBatch.character_id == character_id)
    )
    running = list((await session.scalars(_active_batches())).all())
    cooldown_left = 0.0 if last is None else (last + timedelta(seconds=limits.cooldown_seconds) - now).total_seconds()
    return Snapshot(
        active=row is not None and row.active,
        target=target,
        approved=counts.get("approved", 0),
        pending=counts.get("pending", 0),
        generated_today=int(today or 0),
        reject_streak=0 if row is None else await _reject_streak(session, row, limits.max_consecutive_rejects),
        batch_in_flight=any(b.character_id == character_id for b in running),
        running_batches=len(running),
        cooldown_left=max(0.0, cooldown_left),
        failed=None if row is None else await _failure(session, row),
    )


async def _failure(session: AsyncSession, row: ReplenishmentCharacter) -> str | None:
    """Why the character's newest batch stopped, if its run failed for good (a resume clears it)."""
    newest = await session.execute(
        select(ReplenishmentBatch.step, Run.status, Run.error)
        .join(Run, Run.id == ReplenishmentBatch.run_id)
        .where(ReplenishmentBatch.character_id == row.character_id, ReplenishmentBatch.created_at >= row.streak_since)
        .order_by(ReplenishmentBatch.id.desc())
        .limit(1)
    )
    found = newest.first()
    if found is None or found.step == "done" or found.status != RunStatus.failed:
        return None
    return str(found.error or "unknown error")


async def queue_check(
    *, session: AsyncSession, character: Character, delay: float | None = None, user_id: int | None = None
) -> Run | None:
    """Queue a guard check of the character unless one is already waiting (a burst of approvals makes one)."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:key, :id)"), {"key": LOCK_KEY, "id": character.id})
    waiting = await session.scalar(
        select(Run.id).where(
            Run.kind == CHECK,
            Run.subject_type == "character",
            Run.subject_id == character.id,
            Run.status == RunStatus.queued,
        )
    )
    if waiting is not None:
        return None
    return await jobs.enqueue(
        session=session,
        kind=CHECK,
        params={"character_id": character.id},
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user_id,
        label=f"{character.name}: replenishment check",
        message="waiting for the cooldown" if delay else "waiting for a worker",
        delay=delay,
    )


async def start_batch(*, session: AsyncSession, character: Character, verdict: Verdict) -> ReplenishmentBatch:
    """Record a batch and queue its generation run; the caller holds the loop's lock."""
    batch = ReplenishmentBatch(character_id=character.id, size=verdict.size, seed=secrets.randbelow(MAX_SEED - 64))
    session.add(batch)
    await session.flush()
    run = await jobs.enqueue(
        session=session,
        kind=GENERATE,
        params={"batch_id": batch.id, "character_id": character.id},
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        label=f"{character.name}: replenish {verdict.size} image(s)",
    )
    batch.run_id = run.id
    emit(
        session,
        names.REGENERATION_QUEUED,
        {"character_id": character.id, "batch_id": batch.id, "run_id": run.id, "count": verdict.size},
    )
    await session.flush()
    return batch


async def check(*, session: AsyncSession, character: Character, target: int) -> Verdict:
    """Apply the guards to the character and start a batch if they all pass (or come back after a cooldown)."""
    await lock(session)
    limits = limits_of(await settings(session=session))
    now = datetime.now(UTC)
    verdict = evaluate(
        await snapshot(session=session, character_id=character.id, target=target, limits=limits, now=now), limits
    )
    if verdict.size > 0:
        await start_batch(session=session, character=character, verdict=verdict)
    elif verdict.retry_in is not None:
        await queue_check(session=session, character=character, delay=verdict.retry_in)
    return verdict


async def advance(
    *, session: AsyncSession, batch_id: int, step: str, run_id: int, asset_ids: list[int]
) -> ReplenishmentBatch:
    """Hand the batch to its next step's run (it stays counted as running in between)."""
    batch = await session.get(ReplenishmentBatch, batch_id, with_for_update=True)
    if batch is None:
        raise NotFound(f"replenishment batch {batch_id} not found")
    batch.step, batch.run_id, batch.asset_ids = step, run_id, asset_ids
    await session.flush()
    return batch


async def finish(*, session: AsyncSession, batch_id: int, approved: int, rejected: int) -> None:
    """The batch is reviewed: it no longer counts against max-concurrent."""
    batch = await session.get(ReplenishmentBatch, batch_id, with_for_update=True)
    if batch is None:
        raise NotFound(f"replenishment batch {batch_id} not found")
    batch.step, batch.approved, batch.rejected = "done", approved, rejected
    await session.flush()


async def wake(*, session: AsyncSession, user_id: int | None = None, besides: int | None = None) -> int:
    """Queue a check for every character the loop works on (a freed slot or a resume may let them go on)."""
    if not (await settings(session=session)).enabled:
        return 0
    rows = await session.scalars(
        select(Character)
        .join(ReplenishmentCharacter, ReplenishmentCharacter.character_id == Character.id)
        .where(ReplenishmentCharacter.active, Character.id != (besides or 0))
        .order_by(Character.id)
    )
    queued = [await queue_check(session=session, character=c, user_id=user_id) for c in rows.all()]
    return sum(run is not None for run in queued)


async def set_learned(*, session: AsyncSession, character_id: int, use_learned: bool) -> None:
    """Allow (or forbid) the learning system's suggested parameters for this character's batches."""
    await session.execute(
        insert(ReplenishmentCharacter)
        .values(character_id=character_id, active=False, use_learned_parameters=use_learned)
        .on_conflict_do_update(index_elements=["character_id"], set_={"use_learned_parameters": use_learned})
    )
