"""The learning system's SQL: aggregates over a character's generated images and the decisions on them.

Everything here is one query per question (grouped in the database), so the cost follows the number
of distinct parameter values, not the number of images ever generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

SEED_BUCKET = 2**29
"""Seeds are grouped in eight ranges of 2^29 over the 32-bit seed space."""

# Generated images only (an engine in the provenance, no ingestion source); a person's or the
# auto-triage's decision made them approved or rejected. Pending images have taught nothing yet.
_DECIDED = """
    SELECT a.id, a.status, a.quality_score, a.provenance AS p
    FROM assets a
    WHERE a.character_id = :character_id AND a.kind = 'image'
      AND a.status IN ('approved', 'rejected')
      AND a.provenance ? 'engine' AND NOT a.provenance ? 'source'
"""

_BY_PARAMETER = text(f"""
WITH decided AS ({_DECIDED})
SELECT d.dimension, d.value,
       count(*) FILTER (WHERE decided.status = 'approved') AS approved,
       count(*) AS decided,
       avg(decided.quality_score) AS mean_score
FROM decided
CROSS JOIN LATERAL (
    SELECT v.dimension, v.value FROM (VALUES
        ('engine', p->>'engine'),
        ('checkpoint', nullif(p->>'checkpoint', '')),
        ('cfg', p->>'cfg'),
        ('steps', p->>'steps'),
        ('sampler', p->>'sampler'),
        ('seed_range', CASE WHEN p->>'seed' ~ '^[0-9]{{1,12}}$'
                            THEN ((p->>'seed')::bigint / {SEED_BUCKET})::text END),
        ('lora', CASE WHEN jsonb_typeof(p->'loras') <> 'array' OR jsonb_array_length(p->'loras') = 0 THEN 'none'
                      ELSE (SELECT string_agg(coalesce(l->>'name', l#>>'{{}}'), ' + ' ORDER BY l::text)
                            FROM jsonb_array_elements(p->'loras') l) END)
    ) AS v(dimension, value)
    UNION ALL
    SELECT 'prompt_addition', lower(btrim(term))
    FROM regexp_split_to_table(coalesce(p->>'prompt_extra', ''), ',') AS term
    WHERE btrim(term) <> ''
) AS d
WHERE d.value IS NOT NULL
GROUP BY d.dimension, d.value
ORDER BY d.dimension, d.value
""")

_REJECT_REASONS = text("""
SELECT reason, by_person, count(*) AS n FROM (
    SELECT btrim(a.feedback) AS reason, true AS by_person
    FROM assets a
    WHERE a.character_id = :character_id AND a.kind = 'image' AND a.status = 'rejected'
      AND a.reviewed_by IS NOT NULL AND btrim(a.feedback) <> ''
    UNION ALL
    SELECT issue, false
    FROM assets a
    CROSS JOIN LATERAL jsonb_array_elements_text(
        CASE WHEN jsonb_typeof(a.review->'issues') = 'array' THEN a.review->'issues' ELSE '[]'::jsonb END
    ) AS issue
    WHERE a.character_id = :character_id AND a.kind = 'image' AND a.status = 'rejected'
      AND a.reviewed_by IS NULL
) AS reasons
GROUP BY reason, by_person
ORDER BY n DESC, reason
LIMIT 500
""")

_TOTALS = text("""
SELECT count(*) FILTER (WHERE status = 'approved') AS approved,
       count(*) FILTER (WHERE status = 'rejected') AS rejected,
       count(*) FILTER (WHERE status = 'pending') AS pending,
       avg(quality_score) FILTER (WHERE status IN ('approved', 'rejected')) AS mean_score
FROM assets
WHERE character_id = :character_id AND kind = 'image'
""")

_BEST_SEED = text(f"""
WITH decided AS ({_DECIDED})
SELECT (p->>'seed')::bigint FROM decided
WHERE status = 'approved' AND p->>'seed' ~ '^[0-9]{{1,12}}$' AND (p->>'seed')::bigint / {SEED_BUCKET} = :bucket
ORDER BY quality_score DESC NULLS LAST, id DESC
LIMIT 1
""")

# Decisions newest first (by when they were made); the newest ``window`` against all before them.
_DRIFT = text("""
WITH ranked AS (
    SELECT status, quality_score, coalesce(reviewed_at, created_at) AS decided_at,
           row_number() OVER (ORDER BY coalesce(reviewed_at, created_at) DESC, id DESC) AS position
    FROM assets
    WHERE character_id = :character_id AND kind = 'image' AND status IN ('approved', 'rejected')
)
SELECT position <= :window AS recent,
       count(*) AS n,
       avg((status = 'approved')::int) AS approval_rate,
       avg(quality_score) AS mean_score,
       min(decided_at) AS oldest
FROM ranked
GROUP BY position <= :window
""")


@dataclass(frozen=True)
class ParameterStat:
    dimension: str
    value: str
    approved: int
    decided: int
    mean_score: float | None

    @property
    def success_rate(self) -> float:
        return self.approved / self.decided if self.decided else 0.0

    @property
    def smoothed_rate(self) -> float:
        """Laplace-smoothed, so one lucky image does not outrank ten good ones."""
        return (self.approved + 1) / (self.decided + 2)


@dataclass(frozen=True)
class Totals:
    approved: int
    rejected: int
    pending: int
    mean_score: float | None


@dataclass(frozen=True)
class Window:
    n: int
    approval_rate: float
    mean_score: float | None
    oldest: datetime | None = None


async def by_parameter(session: AsyncSession, *, character_id: int) -> list[ParameterStat]:
    rows = await session.execute(_BY_PARAMETER, {"character_id": character_id})
    return [
        ParameterStat(str(dim), str(value), int(approved), int(decided), None if score is None else float(score))
        for dim, value, approved, decided, score in rows.all()
    ]


async def reject_reasons(session: AsyncSession, *, character_id: int) -> list[tuple[str, bool, int]]:
    """(reason or issue text, whether a person gave it, how often) for the character's rejected images."""
    rows = await session.execute(_REJECT_REASONS, {"character_id": character_id})
    return [(str(reason), bool(by_person), int(n)) for reason, by_person, n in rows.all()]


async def totals(session: AsyncSession, *, character_id: int) -> Totals:
    row = (await session.execute(_TOTALS, {"character_id": character_id})).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]), None if row[3] is None else float(row[3]))


async def best_seed(session: AsyncSession, *, character_id: int, bucket: int) -> int | None:
    value = await session.scalar(_BEST_SEED, {"character_id": character_id, "bucket": bucket})
    return None if value is None else int(value)


async def drift_windows(session: AsyncSession, *, character_id: int, window: int) -> tuple[Window, Window]:
    """(the newest ``window`` decisions, every decision before them); empty windows have n = 0."""
    rows = await session.execute(_DRIFT, {"character_id": character_id, "window": window})
    found = {
        bool(recent): Window(int(n), float(rate), None if s is None else float(s), oldest)
        for recent, n, rate, s, oldest in rows.all()
    }
    empty = Window(0, 0.0, None)
    return found.get(True, empty), found.get(False, empty)
