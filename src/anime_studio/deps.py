"""FastAPI dependency aliases used by every router: ``SessionDep``, ``SettingsDep``, ``CurrentUser`` …"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.auth import service as auth_service
from anime_studio.auth.models import Role
from anime_studio.auth.security import same
from anime_studio.auth.service import Principal
from anime_studio.config import Settings
from anime_studio.db.session import Database
from anime_studio.engines.registry import Engines
from anime_studio.errors import Forbidden, Unauthorized
from anime_studio.media.paths import MediaPaths

SESSION_COOKIE = "anime_studio_session"
CSRF_COOKIE = "anime_studio_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_DB_INT = 2_147_483_647


def get_database(request: Request) -> Database:
    db: Database = request.app.state.db
    return db


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_session(db: Annotated[Database, Depends(get_database)]) -> AsyncIterator[AsyncSession]:
    """One transaction per request: committed when the endpoint returns, rolled back on error."""
    async with db.sessionmaker() as session:
        try:
            yield session
            await session.commit()
        except BaseException:
            await session.rollback()
            raise


def get_paths(request: Request) -> MediaPaths:
    paths: MediaPaths = request.app.state.runtime.paths
    return paths


def get_engines(request: Request) -> Engines:
    engines: Engines = request.app.state.runtime.engines
    return engines


DatabaseDep = Annotated[Database, Depends(get_database)]
PathsDep = Annotated[MediaPaths, Depends(get_paths)]
EnginesDep = Annotated[Engines, Depends(get_engines)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
# scope="function": the commit happens before the response is sent (a client that gets 200 and immediately
# reads again must see the write; a failing commit must become an error response, not a silent loss).
SessionDep = Annotated[AsyncSession, Depends(get_session, scope="function")]


async def authenticated(request: Request, session: SessionDep) -> Principal:
    """Any signed-in user: a Bearer API token, or a session cookie (+ CSRF header on writes)."""
    principal = await resolve_credentials(request, session)
    if principal.via == "session" and request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not sent or principal.csrf_token is None or not same(sent, principal.csrf_token):
            raise Forbidden("missing or invalid CSRF token (send the X-CSRF-Token header)")
    return principal


async def resolve_credentials(request: Request, session: AsyncSession) -> Principal:
    """Whoever the request's token or session cookie belongs to right now (``Unauthorized`` if nobody)."""
    authorization = request.headers.get("authorization", "")
    scheme, _, credentials = authorization.partition(" ")
    if scheme.lower() == "bearer" and credentials:
        principal = await auth_service.resolve_api_token(session=session, token=credentials.strip())
        if principal is None:
            raise Unauthorized("invalid or expired API token")
        return principal
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthorized("not authenticated")
    principal = await auth_service.resolve_session(session=session, token=cookie)
    if principal is None:
        raise Unauthorized("session expired; please log in again")
    return principal


def _requires(role: Role) -> object:
    async def dependency(principal: Annotated[Principal, Depends(authenticated)]) -> Principal:
        if principal.user.role.rank < role.rank:
            raise Forbidden(f"this action needs the {role.value} role")
        return principal

    dependency.required_role = role  # type: ignore[attr-defined]  # read by the route-walk test
    return dependency


require_reviewer = _requires(Role.reviewer)
require_editor = _requires(Role.editor)
require_admin = _requires(Role.admin)

CurrentUser = Annotated[Principal, Depends(authenticated)]
ReviewerUser = Annotated[Principal, Depends(require_reviewer)]
EditorUser = Annotated[Principal, Depends(require_editor)]
AdminUser = Annotated[Principal, Depends(require_admin)]


ProjectId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
ItemId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]
Limit = Annotated[int, Query(ge=1, le=500)]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]
