"""The learning system: insights and suggested parameters per character, and quality-drift warnings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.errors import NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.learning import analysis
from anime_studio.learning.analysis import ParameterStat, Totals
from anime_studio.learning.models import DriftWarning
from anime_studio.learning.reasons import label
from anime_studio.learning.suggestions import SuggestedParameters, suggest, supported

DRIFT_WINDOW = 10
"""Drift compares the newest this-many decisions…"""
DRIFT_MIN_BASELINE = 10
"""…with at least this many decisions before them (the character's baseline)."""
RATE_DROP = 0.25
"""An approval rate this much lower (absolute) than the baseline is drift."""
SCORE_DROP = 0.15
"""A mean quality score this much lower than the baseline is drift."""


@dataclass(frozen=True)
class Insights:
    character_id: int
    totals: Totals
    parameters: list[ParameterStat]
    reject_reasons: list[tuple[str, int]]
    suggested: SuggestedParameters
    what_works: list[ParameterStat]


async def reject_reasons(session: AsyncSession, *, character_id: int) -> list[tuple[str, int]]:
    """The character's reject reasons, people's and reviewers' folded together, most frequent first."""
    counts: dict[str, int] = {}
    for reason, by_person, n in await analysis.reject_reasons(session, character_id=character_id):
        for part in reason.split(";"):
            named = label(part, by_person=by_person)
            if named:
                counts[named] = counts.get(named, 0) + n
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


async def suggested_parameters(session: AsyncSession, *, character_id: int) -> SuggestedParameters:
    """Parameters to generate the character with next, from its decided history (the replenishment loop's input)."""
    stats = await analysis.by_parameter(session, character_id=character_id)
    return await _suggest(session, character_id, stats, await reject_reasons(session, character_id=character_id))


async def _suggest(
    session: AsyncSession, character_id: int, stats: list[ParameterStat], reasons: list[tuple[str, int]]
) -> SuggestedParameters:
    ranges = supported(stats, "seed_range")
    seed = await analysis.best_seed(session, character_id=character_id, bucket=int(ranges[0].value)) if ranges else None
    return suggest(stats, reasons, seed)


async def insights(*, session: AsyncSession, character_id: int) -> Insights:
    """Success rate by parameter, top reject reasons, suggestions and the values that work best."""
    await characters.get(session=session, character_id=character_id)
    stats = await analysis.by_parameter(session, character_id=character_id)
    reasons = await reject_reasons(session, character_id=character_id)
    works = [s for dim in ("engine", "checkpoint", "cfg", "steps", "sampler", "lora", "prompt_addition") for s in
             supported(stats, dim)[:1]]  # fmt: skip
    return Insights(
        character_id=character_id,
        totals=await analysis.totals(session, character_id=character_id),
        parameters=stats,
        reject_reasons=reasons[:10],
        suggested=await _suggest(session, character_id, stats, reasons),
        what_works=works,
    )


async def check_drift(*, session: AsyncSession, character_id: int) -> DriftWarning | None:
    """Raise a warning (and ``quality.drift``) when the newest decisions fall against the baseline.

    After a person dismisses a warning, only a window made entirely of later decisions can raise the next.
    """
    await session.execute(text("SELECT pg_advisory_xact_lock(hashtext('drift'), :c)"), {"c": character_id})
    recent, baseline = await analysis.drift_windows(session, character_id=character_id, window=DRIFT_WINDOW)
    if recent.n < DRIFT_WINDOW or baseline.n < DRIFT_MIN_BASELINE:
        return None
    dismissed = await session.scalar(
        select(func.max(DriftWarning.dismissed_at)).where(DriftWarning.character_id == character_id)
    )
    if dismissed is not None and recent.oldest is not None and recent.oldest <= dismissed:
        return None
    found = _decline(recent, baseline)
    if found is None:
        return None
    metric, was, now = found
    character = await characters.get(session=session, character_id=character_id)
    shown = f"{now:.0%} against {was:.0%}" if metric == "approval_rate" else f"{now:.2f} against {was:.2f}"
    message = (
        f"{character.name}: {metric.replace('_', ' ')} of the last {recent.n} decisions is {shown} before "
        f"({baseline.n} decisions); check the prompt, style or model before generating more"
    )
    values = {
        "project_id": character.project_id,
        "character_id": character_id,
        "metric": metric,
        "baseline": round(was, 4),
        "recent": round(now, 4),
        "window": recent.n,
        "message": message,
    }
    statement = (
        insert(DriftWarning)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["character_id"], index_where=text("dismissed_at IS NULL"))
        .returning(DriftWarning.id)
    )
    warning_id = await session.scalar(statement)
    if warning_id is None:
        return None  # one is already open
    emit(session, names.QUALITY_DRIFT, {"warning_id": warning_id, **values})
    return await session.get(DriftWarning, warning_id)


def _decline(recent: analysis.Window, baseline: analysis.Window) -> tuple[str, float, float] | None:
    if baseline.approval_rate - recent.approval_rate >= RATE_DROP:
        return "approval_rate", baseline.approval_rate, recent.approval_rate
    was, now = baseline.mean_score, recent.mean_score
    if was is not None and now is not None and was - now >= SCORE_DROP:
        return "quality_score", was, now
    return None


async def warnings(
    *, session: AsyncSession, project_id: int | None, character_id: int | None, include_dismissed: bool
) -> list[DriftWarning]:
    query = select(DriftWarning)
    if project_id is not None:
        query = query.where(DriftWarning.project_id == project_id)
    if character_id is not None:
        query = query.where(DriftWarning.character_id == character_id)
    if not include_dismissed:
        query = query.where(DriftWarning.dismissed_at.is_(None))
    return list((await session.scalars(query.order_by(DriftWarning.id.desc()).limit(200))).all())


async def dismiss(*, session: AsyncSession, warning_id: int, user_id: int) -> DriftWarning:
    """Hide a warning; dismissing twice keeps the first dismissal."""
    warning = await session.get(DriftWarning, warning_id, with_for_update=True)
    if warning is None:
        raise NotFound(f"drift warning {warning_id} not found")
    if warning.dismissed_at is None:
        warning.dismissed_at, warning.dismissed_by = datetime.now(UTC), user_id
        await session.flush()
    return warning
