"""Login throttling per account name and per client address, stored in the database.

Each key counts its recent failures. The first few are free; after that every further attempt must
wait a delay that doubles with each failure, and at ``lockout_after`` failures the key is locked for
``lockout``. A refused attempt is not counted and its password is never checked. Failures are
forgotten after ``lockout`` without a new one, and a successful login clears its account's count.
The address count is not cleared by a success: one valid account must not let a client go on
guessing other accounts' passwords. Rows live in PostgreSQL and are locked while an attempt is
checked, so every process of the studio sees the same counts and parallel guesses queue up.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import case, delete, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.auth.models import LoginThrottle
from anime_studio.config import Settings
from anime_studio.errors import DomainError

log = logging.getLogger(__name__)

ACCOUNT, ADDRESS = "account", "address"
MAX_DELAY = timedelta(minutes=1)


class TooManyAttempts(DomainError):
    status = 429

    def __init__(self, detail: str, retry_after: timedelta) -> None:
        super().__init__(detail)
        self.headers = {"Retry-After": str(max(1, math.ceil(retry_after.total_seconds())))}


@dataclass(frozen=True)
class Policy:
    """How many failures a key may have before delays start, and before it is locked."""

    free: int
    lockout_after: int
    lockout: timedelta

    def blocked_for(self, failures: int) -> timedelta:
        """How long after its last failure a key with ``failures`` must wait before its next attempt."""
        if failures >= self.lockout_after:
            return self.lockout
        if failures < self.free:
            return timedelta(0)
        return min(timedelta(seconds=2 ** min(failures - self.free, 16)), MAX_DELAY)


@dataclass(frozen=True)
class Policies:
    account: Policy
    address: Policy

    def of(self, scope: str) -> Policy:
        return self.account if scope == ACCOUNT else self.address


def policies(settings: Settings) -> Policies:
    lockout = timedelta(minutes=settings.login_lockout_minutes)
    return Policies(
        account=Policy(settings.login_free_failures, settings.login_lockout_failures, lockout),
        address=Policy(settings.login_address_free_failures, settings.login_address_lockout_failures, lockout),
    )


def _spoken(wait: timedelta) -> str:
    seconds = max(1, math.ceil(wait.total_seconds()))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds > 1 else ''}"
    return f"{math.ceil(seconds / 60)} minutes"


def _now() -> datetime:
    return datetime.now(UTC)


def keys(username: str, address: str) -> list[tuple[str, str]]:
    """The (scope, key) pairs one attempt counts against; unknown names count like real ones."""
    return [(ACCOUNT, username.strip().lower()[:128]), (ADDRESS, address[:128])]


async def admit(*, session: AsyncSession, attempt: list[tuple[str, str]], policies: Policies) -> None:
    """Lock the attempt's keys until the transaction ends, and refuse it if one of them is still blocked.

    The rows are created first if missing, so that even the very first attempts on a key queue behind
    each other instead of all being checked at once.
    """
    now = _now()
    forgotten = now - max(policies.account.lockout, policies.address.lockout)
    await session.execute(
        delete(LoginThrottle).where(LoginThrottle.last_failure_at < forgotten, LoginThrottle.blocked_until < now)
    )
    await session.execute(
        insert(LoginThrottle)
        .values(
            [{"scope": s, "key": k, "failures": 0, "last_failure_at": now, "blocked_until": now} for s, k in attempt]
        )
        .on_conflict_do_nothing(index_elements=[LoginThrottle.scope, LoginThrottle.key])
    )
    rows = await session.scalars(
        select(LoginThrottle)
        .where(tuple_(LoginThrottle.scope, LoginThrottle.key).in_(attempt))
        .order_by(LoginThrottle.scope, LoginThrottle.key)  # one lock order: no deadlocks between attempts
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    now = _now()  # after waiting for the locks: the attempt is judged by when it gets its turn
    for row in rows:
        if row.blocked_until > now:
            what = "this account" if row.scope == ACCOUNT else "your address"
            wait = row.blocked_until - now
            raise TooManyAttempts(f"too many failed logins for {what}; try again in {_spoken(wait)}", wait)


async def record_failure(*, session: AsyncSession, attempt: list[tuple[str, str]], policies: Policies) -> None:
    """Count a failed attempt against every key (locked by ``admit``) and set when each may try again."""
    now = _now()
    for scope, key in attempt:
        policy = policies.of(scope)
        recent = LoginThrottle.last_failure_at >= now - policy.lockout
        failures = await session.scalar(
            update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
            .values(failures=case((recent, LoginThrottle.failures + 1), else_=1), last_failure_at=now)
            .returning(LoginThrottle.failures)
        )
        assert failures is not None
        await session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
            .values(blocked_until=now + policy.blocked_for(failures))
        )
        log.warning("failed login: %s %r, %d recent failures", scope, key, failures)


async def clear_account(*, session: AsyncSession, attempt: list[tuple[str, str]]) -> None:
    """A successful login forgets its account's failures."""
    accounts = [key for scope, key in attempt if scope == ACCOUNT]
    await session.execute(delete(LoginThrottle).where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key.in_(accounts)))


async def active(*, session: AsyncSession, policies: Policies) -> list[LoginThrottle]:
    """Keys with failures that still count (admins see these), most recent first."""
    now = _now()
    rows = await session.scalars(
        select(LoginThrottle).where(LoginThrottle.failures > 0).order_by(LoginThrottle.last_failure_at.desc())
    )
    return [r for r in rows if r.last_failure_at >= now - policies.of(r.scope).lockout]


async def release(*, session: AsyncSession, throttle_id: int) -> bool:
    """Forget one key's failures (an admin unlocking an account or address); False if there was none."""
    result = await session.execute(
        delete(LoginThrottle).where(LoginThrottle.id == throttle_id).returning(LoginThrottle.id)
    )
    return result.scalar() is not None


async def lift(*, session: AsyncSession, username: str | None = None, address: str | None = None) -> int:
    """Forget the failures of an account name and/or a client address (the CLI's way in for a locked-out admin)."""
    wanted = [(ACCOUNT, username.strip().lower()) if username else None, (ADDRESS, address) if address else None]
    pairs = [pair for pair in wanted if pair is not None]
    if not pairs:
        return 0
    result = await session.execute(
        delete(LoginThrottle).where(
            tuple_(LoginThrottle.scope, LoginThrottle.key).in_(pairs), LoginThrottle.failures > 0
        )
    )
    return int(getattr(result, "rowcount", 0) or 0)
