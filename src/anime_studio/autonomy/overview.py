"""What the four endpoints do: the loop's status, readiness per character, the switch and the targets."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets.models import Asset, AssetKind
from anime_studio.autonomy import service, targets
from anime_studio.autonomy.guards import evaluate
from anime_studio.autonomy.models import ReplenishmentCharacter
from anime_studio.autonomy.schemas import (
    ActiveBatch,
    CharacterStatus,
    GuardSettings,
    Readiness,
    ReadinessItem,
    ReplenishmentStatus,
)
from anime_studio.characters.models import Character
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.media.paths import MediaPaths
from anime_studio.projects.models import Project


async def _character_status(
    session: AsyncSession, paths: MediaPaths, character: Character, project: Project, now: datetime
) -> CharacterStatus:
    row = await service.enrolment(session=session, character_id=character.id)
    limits = service.limits_of(await service.settings(session=session))
    target = await targets.read(session=session, paths=paths, character=character)
    snap = await service.snapshot(session=session, character_id=character.id, target=target, limits=limits, now=now)
    verdict = evaluate(snap, limits)
    return CharacterStatus(
        character_id=character.id,
        name=character.name,
        slug=character.slug,
        project_id=project.id,
        project_name=project.name,
        active=snap.active,
        use_learned_parameters=bool(row and row.use_learned_parameters),
        target=target,
        approved=snap.approved,
        pending=snap.pending,
        generated_today=snap.generated_today,
        reject_streak=snap.reject_streak,
        batch_in_flight=snap.batch_in_flight,
        cooldown_left=round(snap.cooldown_left, 1),
        state=verdict.state,
        reason=verdict.reason,
    )


async def status(*, session: AsyncSession, paths: MediaPaths) -> ReplenishmentStatus:
    """The switch, the limits, the batches running now and each enrolled character's state and why."""
    row = await service.settings(session=session)
    now = datetime.now(UTC)
    pairs = await session.execute(
        select(Character, Project)
        .join(Project, Project.id == Character.project_id)
        .join(ReplenishmentCharacter, ReplenishmentCharacter.character_id == Character.id)
        .order_by(Project.name, Character.name, Character.id)
    )
    characters = [await _character_status(session, paths, c, p, now) for c, p in pairs.all()]
    names = {c.character_id: c.name for c in characters}
    batches = await service.active_batches(session=session)
    return ReplenishmentStatus(
        enabled=row.enabled,
        settings=GuardSettings.model_validate(row),
        active_tasks=[
            ActiveBatch(
                batch_id=b.id,
                character_id=b.character_id,
                character_name=names.get(b.character_id, ""),
                size=b.size,
                step=b.step,
                run_id=b.run_id,
            )
            for b in batches
        ],
        daily_counts={c.slug: c.generated_today for c in characters},
        characters=characters,
    )


async def toggle(*, session: AsyncSession, enabled: bool, user_id: int) -> None:
    """Switch the loop; switching it on resumes every enrolled character (reject streaks start over)."""
    await service.update_settings(session=session, values={"enabled": enabled})
    if enabled:
        await service.reset_streaks(session=session)
        await service.wake(session=session, user_id=user_id)


async def find_project(*, session: AsyncSession, name: str) -> Project:
    """A project by its name or its slug."""
    project = await session.scalar(
        select(Project).where(or_(Project.slug == name, func.lower(Project.name) == name.strip().lower()))
    )
    if project is None:
        raise NotFound(f"project {name!r} not found")
    return project


async def find_character(*, session: AsyncSession, slug: str, project_name: str | None) -> Character:
    """A character by slug; ``project_name`` tells apart characters of the same slug in two projects."""
    query = select(Character).where(Character.slug == slug)
    if project_name:
        query = query.where(Character.project_id == (await find_project(session=session, name=project_name)).id)
    found = list((await session.scalars(query.limit(2))).all())
    if not found:
        raise NotFound(f"character {slug!r} not found")
    if len(found) > 1:
        raise Conflict(f"several projects have a character {slug!r}: pass project_name")
    return found[0]


async def set_target(
    *, session: AsyncSession, paths: MediaPaths, character: Character, target: int, user_id: int
) -> CharacterStatus:
    """Set the approved-image target (the dataset's own) and replenish the character towards it; 0 stops it."""
    if target < 0:
        raise Invalid("target must be 0 or more")
    if target > 0:
        await targets.write(session=session, paths=paths, character=character, target=target)
    await service.enrol(session=session, character_id=character.id, active=target > 0)
    if target > 0 and (await service.settings(session=session)).enabled:
        await service.queue_check(session=session, character=character, user_id=user_id)
    project = await session.get(Project, character.project_id)
    assert project is not None
    return await _character_status(session, paths, character, project, datetime.now(UTC))


async def readiness(*, session: AsyncSession, paths: MediaPaths, project_name: str | None) -> Readiness:
    """Approved images against the target for every character (of one project, or all)."""
    query = select(Character, Project).join(Project, Project.id == Character.project_id)
    if project_name:
        project = await find_project(session=session, name=project_name)
        query = query.where(Project.id == project.id)
    pairs = (await session.execute(query.order_by(Project.name, Character.name, Character.id))).all()
    counts = await _counts(session, [c.id for c, _ in pairs])
    enrolled = {r.character_id for r in await service.enrolled(session=session) if r.active}
    items = []
    for character, project in pairs:
        target = await targets.read(session=session, paths=paths, character=character)
        mine = counts.get(character.id, {})
        approved = mine.get("approved", 0)
        items.append(
            ReadinessItem(
                character_id=character.id,
                name=character.name,
                slug=character.slug,
                project_id=project.id,
                project_name=project.name,
                target=target,
                approved=approved,
                pending=mine.get("pending", 0),
                rejected=mine.get("rejected", 0),
                progress=round(min(1.0, approved / target), 3),
                ready=approved >= target,
                replenishing=character.id in enrolled,
            )
        )
    return Readiness(project_name=project_name, ready=sum(i.ready for i in items), total=len(items), characters=items)


async def _counts(session: AsyncSession, character_ids: list[int]) -> dict[int, dict[str, int]]:
    rows = await session.execute(
        select(Asset.character_id, Asset.status, func.count())
        .where(Asset.character_id.in_(character_ids), Asset.kind == AssetKind.image)
        .group_by(Asset.character_id, Asset.status)
    )
    counts: dict[int, dict[str, int]] = {}
    for character_id, status, n in rows.all():
        if character_id is not None:
            counts.setdefault(character_id, {})[status.value] = n
    return counts
