"""Login/logout, the current user, personal API tokens, and user administration."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from anime_studio.auth import service, throttle
from anime_studio.auth.schemas import (
    LoginRequest,
    LoginResponse,
    LoginThrottleRead,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from anime_studio.auth.security import verify_password
from anime_studio.config import Settings
from anime_studio.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    AdminUser,
    CurrentUser,
    ItemId,
    SessionDep,
    SettingsDep,
)
from anime_studio.errors import Invalid, NotFound, Unauthorized

router = APIRouter(tags=["auth"])


def _cookie_path(request: Request) -> str:
    return (request.scope.get("root_path") or "") + "/"


def _secure(request: Request, settings: Settings) -> bool:
    """Secure cookies over HTTPS: the setting, or the request's scheme (which ``serve`` takes from a
    trusted proxy's ``X-Forwarded-Proto``), so a studio behind a TLS proxy needs no extra setting."""
    return settings.cookie_secure or request.url.scheme == "https"


@router.post(
    "/auth/login",
    response_model=LoginResponse,
    responses={429: {"description": "too many failed logins; retry after the Retry-After header's seconds"}},
)
async def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> LoginResponse:
    """Sign in with username and password; sets the session cookie and returns the CSRF token.

    Repeated failures slow down and then lock the account name and the client address (429 with
    ``Retry-After``); admins see and lift them under ``/auth/login-throttles``.
    """
    address = request.client.host if request.client else "unknown"
    user = await service.authenticate(
        session=session,
        username=body.username,
        password=body.password,
        address=address,
        policies=throttle.policies(settings),
    )
    if user is None:
        await session.commit()  # the failure must be counted although this request fails
        raise Unauthorized("invalid username or password")
    ttl = timedelta(hours=settings.session_ttl_hours)
    token, csrf = await service.open_session(session=session, user=user, ttl=ttl)
    for name, value, http_only in ((SESSION_COOKIE, token, True), (CSRF_COOKIE, csrf, False)):
        response.set_cookie(
            name,
            value,
            max_age=int(ttl.total_seconds()),
            path=_cookie_path(request),
            samesite="lax",
            httponly=http_only,
            secure=_secure(request, settings),
        )
    return LoginResponse(user=UserRead.model_validate(user), csrf_token=csrf)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(
    request: Request, response: Response, session: SessionDep, settings: SettingsDep, _: CurrentUser
) -> None:
    """End the current browser session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await service.close_session(session=session, token=cookie)
    for name, http_only in ((SESSION_COOKIE, True), (CSRF_COOKIE, False)):
        response.delete_cookie(
            name, path=_cookie_path(request), samesite="lax", httponly=http_only, secure=_secure(request, settings)
        )


@router.get("/auth/me", response_model=LoginResponse)
async def me(principal: CurrentUser) -> LoginResponse:
    """The signed-in user (and, for browser sessions, the CSRF token to send on writes)."""
    return LoginResponse(user=UserRead.model_validate(principal.user), csrf_token=principal.csrf_token or "")


@router.put("/auth/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: PasswordChange, principal: CurrentUser, session: SessionDep) -> None:
    """Change your own password (signs out your browser sessions and revokes your API tokens)."""
    if not verify_password(principal.user.password_hash, body.current_password):
        raise Invalid("current password is wrong")
    await service.update_user(session=session, user=principal.user, password=body.new_password)


@router.get("/auth/tokens", response_model=list[TokenRead])
async def list_tokens(principal: CurrentUser, session: SessionDep) -> list[TokenRead]:
    """Your personal API tokens (without their secret)."""
    tokens = await service.list_api_tokens(session=session, user=principal.user)
    return [TokenRead.model_validate(t) for t in tokens]


@router.post("/auth/tokens", response_model=TokenCreated, status_code=status.HTTP_201_CREATED)
async def create_token(body: TokenCreate, principal: CurrentUser, session: SessionDep) -> TokenCreated:
    """Issue a personal API token for scripts (``Authorization: Bearer …``); shown once."""
    record, token = await service.create_api_token(
        session=session, user=principal.user, name=body.name, expires_in_days=body.expires_in_days
    )
    return TokenCreated(**TokenRead.model_validate(record).model_dump(), token=token)


@router.delete("/auth/tokens/{token_id}", status_code=status.HTTP_204_NO_CONTENT)
async def revoke_token(token_id: ItemId, principal: CurrentUser, session: SessionDep) -> None:
    """Revoke one of your API tokens."""
    await service.revoke_api_token(session=session, user=principal.user, token_id=token_id)


@router.get("/users", response_model=list[UserRead])
async def list_users(_: AdminUser, session: SessionDep) -> list[UserRead]:
    """All users (admin)."""
    return [UserRead.model_validate(u) for u in await service.list_users(session=session)]


@router.post("/users", response_model=UserRead, status_code=status.HTTP_201_CREATED)
async def create_user(body: UserCreate, _: AdminUser, session: SessionDep) -> UserRead:
    """Create a user with a role (admin)."""
    user = await service.create_user(session=session, username=body.username, password=body.password, role=body.role)
    return UserRead.model_validate(user)


@router.patch("/users/{user_id}", response_model=UserRead)
async def update_user(user_id: ItemId, body: UserUpdate, _: AdminUser, session: SessionDep) -> UserRead:
    """Change a user's role, password or active flag (admin); a new password revokes their sessions and API tokens."""
    user = await service.get_user(session=session, user_id=user_id)
    user = await service.update_user(session=session, user=user, **body.model_dump(exclude_unset=True))
    return UserRead.model_validate(user)


@router.get("/auth/login-throttles", response_model=list[LoginThrottleRead])
async def list_login_throttles(_: AdminUser, session: SessionDep, settings: SettingsDep) -> list[LoginThrottleRead]:
    """Account names and client addresses with recent failed logins, and until when they are blocked (admin)."""
    rows = await throttle.active(session=session, policies=throttle.policies(settings))
    return [LoginThrottleRead.model_validate(r) for r in rows]


@router.delete("/auth/login-throttles/{throttle_id}", status_code=status.HTTP_204_NO_CONTENT)
async def release_login_throttle(throttle_id: ItemId, _: AdminUser, session: SessionDep) -> None:
    """Forget the failed logins of one account name or address, lifting its delay or lockout (admin)."""
    if not await throttle.release(session=session, throttle_id=throttle_id):
        raise NotFound(f"login throttle {throttle_id} not found")
