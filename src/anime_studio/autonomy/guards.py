"""The seven guards as one pure function over a snapshot read in the database (check run and status alike)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    enabled: bool
    cooldown_seconds: int
    daily_limit: int
    max_consecutive_rejects: int
    pending_buffer: int
    max_concurrent: int
    batch_size: int


@dataclass(frozen=True)
class Snapshot:
    """What the guards look at for one character, read under the loop's lock."""

    active: bool
    target: int
    approved: int
    pending: int
    generated_today: int
    reject_streak: int
    batch_in_flight: bool
    running_batches: int
    cooldown_left: float
    failed: str | None = None
    """The error of the character's newest batch when its run failed (since the last resume)."""


@dataclass(frozen=True)
class Verdict:
    size: int
    """Images to generate now; 0 when a guard holds the character back."""
    state: str
    """``generate``, ``done`` (target reached), ``paused`` (needs a person), ``waiting`` (resumes), ``off``."""
    reason: str
    retry_in: float | None = None
    """For a cooldown: check again after this many seconds."""


def evaluate(snapshot: Snapshot, limits: Limits) -> Verdict:
    """Which guard, if any, holds the character back; otherwise how many images the next batch makes."""
    s = snapshot
    if not limits.enabled:
        return Verdict(0, "off", "loop is off")
    if not s.active:
        return Verdict(0, "off", "no target set")
    if s.approved >= s.target:
        return Verdict(0, "done", f"target reached ({s.approved}/{s.target})")
    if s.failed is not None:
        return Verdict(0, "paused", f"last batch failed: {s.failed}"[:300])
    if s.reject_streak >= limits.max_consecutive_rejects:
        return Verdict(0, "paused", f"{s.reject_streak} rejects in a row")
    if s.batch_in_flight:
        return Verdict(0, "waiting", "batch in progress")
    # Pending images may still be approved: counting them keeps the loop from overshooting the target.
    needed = s.target - s.approved - s.pending
    if s.pending >= limits.pending_buffer or needed <= 0:
        return Verdict(0, "paused", f"{s.pending} pending to review")
    if s.generated_today >= limits.daily_limit:
        return Verdict(0, "paused", "daily limit reached")
    if s.cooldown_left > 0:
        return Verdict(0, "waiting", f"cooldown {max(1, round(s.cooldown_left))} s", retry_in=s.cooldown_left)
    if s.running_batches >= limits.max_concurrent:
        return Verdict(0, "waiting", f"{s.running_batches} batches running (max concurrent)")
    size = min(
        limits.batch_size,
        needed,
        limits.daily_limit - s.generated_today,
        limits.max_consecutive_rejects - s.reject_streak,
    )
    return Verdict(size, "generate", f"generating {size}")
