"""Auto-correction: the per-project switch, queueing a fix for a rejected image, and the history."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind, AssetStatus
from anime_studio.characters import service as characters
from anime_studio.correction.models import STRATEGIES, Correction, CorrectionSetting
from anime_studio.correction.strategies import choose
from anime_studio.errors import Conflict, Invalid
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs import service as jobs
from anime_studio.projects import service as projects

RUN_KIND = "correction.apply"


async def enabled(*, session: AsyncSession, project_id: int) -> bool:
    setting = await session.get(CorrectionSetting, project_id)
    return bool(setting and setting.enabled)


async def set_enabled(*, session: AsyncSession, project_id: int, value: bool) -> bool:
    """Switch auto-correction on or off for a project (off until someone switches it on)."""
    await projects.get(session=session, project_id=project_id)
    statement = insert(CorrectionSetting).values(project_id=project_id, enabled=value)
    await session.execute(statement.on_conflict_do_update(index_elements=["project_id"], set_={"enabled": value}))
    return value


def is_correction(asset: Asset) -> bool:
    return "correction" in (asset.provenance or {})


async def request(*, session: AsyncSession, asset_id: int, strategy: str | None, user_id: int | None) -> Correction:
    """Queue one fix of a rejected image as a run (the strategy chosen from its review unless given)."""
    asset = await assets.get(session=session, asset_id=asset_id)
    if asset.kind != AssetKind.image or asset.character_id is None:
        raise Invalid(f"asset {asset.id} is not a dataset image")
    if asset.status != AssetStatus.rejected:
        raise Invalid(f"image {asset.id} is {asset.status.value}: only rejected images are corrected")
    if strategy is not None and strategy not in STRATEGIES:
        raise Invalid(f"unknown strategy {strategy!r}; one of {', '.join(STRATEGIES)}")
    chosen = strategy or choose(reason=asset.feedback if asset.reviewed_by else "", issues=_issues(asset))
    correction = await _queue(session, asset, chosen, user_id)
    if correction is None:
        raise Conflict(f"{chosen} was already tried on image {asset.id}")
    return correction


async def auto_correct(*, session: AsyncSession, asset_id: int) -> Correction | None:
    """React to a rejection when the project has auto-correction on; a corrected image is not corrected again."""
    asset = await session.get(Asset, asset_id)
    if asset is None or asset.kind != AssetKind.image or asset.character_id is None:
        return None
    if asset.status != AssetStatus.rejected or is_correction(asset):
        return None
    if not await enabled(session=session, project_id=asset.project_id):
        return None
    strategy = choose(reason=asset.feedback if asset.reviewed_by else "", issues=_issues(asset))
    return await _queue(session, asset, strategy, None)


def _issues(asset: Asset) -> list[str]:
    issues = (asset.review or {}).get("issues", [])
    return [str(i) for i in issues] if isinstance(issues, list) else []


async def _queue(session: AsyncSession, asset: Asset, strategy: str, user_id: int | None) -> Correction | None:
    """Record and enqueue, or ``None`` when this strategy was already tried on the image (by anyone, anywhere)."""
    assert asset.character_id is not None
    # A person's reason names what to fix; the auto-triage's ("quality 0.31 < auto_reject 0.40") does not,
    # the review's issues do.
    by_person = asset.reviewed_by is not None and asset.feedback.strip()
    reason = asset.feedback if by_person else "; ".join(_issues(asset))[:2000]
    statement = (
        insert(Correction)
        .values(
            project_id=asset.project_id,
            character_id=asset.character_id,
            original_asset_id=asset.id,
            strategy=strategy,
            reason=reason,
            status="queued",
            detail="",
        )
        .on_conflict_do_nothing(index_elements=["original_asset_id", "strategy"])
        .returning(Correction.id)
    )
    correction_id = await session.scalar(statement)
    if correction_id is None:
        return None
    character = await characters.get(session=session, character_id=asset.character_id)
    run = await jobs.enqueue(
        session=session,
        kind=RUN_KIND,
        params={"correction_id": correction_id},
        project_id=asset.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user_id,
        label=f"{character.name}: {strategy} of image {asset.id}",
    )
    correction = await session.get(Correction, correction_id)
    assert correction is not None
    correction.run_id = run.id
    await session.flush()
    emit(
        session,
        names.REGENERATION_QUEUED,
        {
            "correction_id": correction_id,
            "asset_id": asset.id,
            "character_id": character.id,
            "strategy": strategy,
            "run_id": run.id,
        },
    )
    return correction


async def history(*, session: AsyncSession, character_id: int, limit: int) -> list[Correction]:
    """The character's corrections, newest first."""
    await characters.get(session=session, character_id=character_id)
    query = select(Correction).where(Correction.character_id == character_id)
    return list((await session.scalars(query.order_by(Correction.id.desc()).limit(limit))).all())
