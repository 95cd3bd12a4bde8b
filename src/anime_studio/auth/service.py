"""Users, sessions and API tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.auth import security, throttle
from anime_studio.auth.models import ApiToken, Role, User, UserSession
from anime_studio.errors import Conflict, Invalid, NotFound


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Principal:
    """Who is calling, and how they proved it."""

    user: User
    via: str  # "session" or "token"
    csrf_token: str | None = None


async def count_users(*, session: AsyncSession) -> int:
    return (await session.scalar(select(func.count()).select_from(User))) or 0


async def create_user(*, session: AsyncSession, username: str, password: str, role: Role) -> User:
    """Create a user; usernames are unique case-insensitively."""
    existing = await session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if existing is not None:
        raise Conflict(f"user {username!r} already exists")
    user = User(username=username, password_hash=security.hash_password(password), role=role)
    session.add(user)
    await session.flush()
    return user


async def list_users(*, session: AsyncSession) -> list[User]:
    return list((await session.scalars(select(User).order_by(User.id))).all())


async def get_user(*, session: AsyncSession, user_id: int) -> User:
    user = await session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


async def get_user_by_name(*, session: AsyncSession, username: str) -> User:
    user = await session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    if user is None:
        raise NotFound(f"user {username!r} not found")
    return user


async def update_user(
    *,
    session: AsyncSession,
    user: User,
    password: str | None = None,
    role: Role | None = None,
    is_active: bool | None = None,
) -> User:
    if (role not in (None, Role.admin) or is_active is False) and user.role == Role.admin:
        await _ensure_another_admin(session=session, user=user)
    if password is not None:
        # A new password ends every credential the old one led to: browser sessions and API tokens.
        user.password_hash = security.hash_password(password)
        await session.execute(delete(UserSession).where(UserSession.user_id == user.id))
        await session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    if role is not None:
        user.role = role
    if is_active is not None:
        user.is_active = is_active
    await session.flush()
    return user


async def _ensure_another_admin(*, session: AsyncSession, user: User) -> None:
    others = await session.scalar(
        select(func.count())
        .select_from(User)
        .where(User.role == Role.admin, User.is_active.is_(True), User.id != user.id)
    )
    if not others:
        raise Invalid("the studio needs at least one active admin")


async def authenticate(
    *, session: AsyncSession, username: str, password: str, address: str, policies: throttle.Policies
) -> User | None:
    """Check credentials under the login throttle; ``None`` (the failure counted) for any wrong credentials.

    Unknown users, wrong passwords and deactivated accounts take the same path and the same time (one
    password hash each), so neither the answer nor its timing tells whether an account exists.
    """
    attempt = throttle.keys(username, address)
    await throttle.admit(session=session, attempt=attempt, policies=policies)
    user = await session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    matches = security.verify_password(user.password_hash if user is not None else _DUMMY_HASH, password)
    if user is None or not matches or not user.is_active:
        await throttle.record_failure(session=session, attempt=attempt, policies=policies)
        return None
    await throttle.clear_account(session=session, attempt=attempt)
    if security.needs_rehash(user.password_hash):
        user.password_hash = security.hash_password(password)
    user.last_login_at = _now()
    return user


_DUMMY_HASH = security.hash_password("not-a-real-password")


async def open_session(*, session: AsyncSession, user: User, ttl: timedelta) -> tuple[str, str]:
    """Start a browser session; returns (session token, CSRF token)."""
    token, csrf = security.new_token(), security.new_token()
    now = _now()
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=security.token_digest(token),
            csrf_token=csrf,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    await session.execute(delete(UserSession).where(UserSession.expires_at < now))
    await session.flush()
    return token, csrf


async def close_session(*, session: AsyncSession, token: str) -> None:
    await session.execute(delete(UserSession).where(UserSession.token_hash == security.token_digest(token)))


async def resolve_session(*, session: AsyncSession, token: str) -> Principal | None:
    row = (
        await session.execute(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)
            .where(UserSession.token_hash == security.token_digest(token), UserSession.expires_at > _now())
        )
    ).first()
    if row is None or not row[1].is_active:
        return None
    return Principal(user=row[1], via="session", csrf_token=row[0].csrf_token)


async def resolve_api_token(*, session: AsyncSession, token: str) -> Principal | None:
    row = (
        await session.execute(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)
            .where(ApiToken.token_hash == security.token_digest(token))
        )
    ).first()
    if row is None or not row[1].is_active:
        return None
    api_token, user = row
    now = _now()
    if api_token.expires_at is not None and api_token.expires_at <= now:
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at > timedelta(minutes=1):
        api_token.last_used_at = now
    return Principal(user=user, via="token")


async def create_api_token(
    *, session: AsyncSession, user: User, name: str, expires_in_days: int | None = None
) -> tuple[ApiToken, str]:
    """Issue a personal API token; the plain token is returned once and never stored."""
    token = security.new_token(security.API_TOKEN_PREFIX)
    now = _now()
    record = ApiToken(
        user_id=user.id,
        name=name,
        prefix=token[:10],
        token_hash=security.token_digest(token),
        created_at=now,
        expires_at=now + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    session.add(record)
    await session.flush()
    return record, token


async def list_api_tokens(*, session: AsyncSession, user: User) -> list[ApiToken]:
    return list((await session.scalars(select(ApiToken).where(ApiToken.user_id == user.id))).all())


async def revoke_api_token(*, session: AsyncSession, user: User, token_id: int) -> None:
    token = await session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound(f"token {token_id} not found")
    await session.delete(token)


async def ensure_initial_admin(*, session: AsyncSession) -> tuple[str, str] | None:
    """On an empty database create ``admin`` with a random password; return the credentials once."""
    if await count_users(session=session):
        return None
    password = security.generate_password()
    await create_user(session=session, username="admin", password=password, role=Role.admin)
    return "admin", password
