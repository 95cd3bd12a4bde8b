"""Login/logout, the current user, personal API tokens, and user administration."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Request, Response, status

from anime_studio.auth import service
from anime_studio.auth.schemas import (
    LoginRequest,
    LoginResponse,
    PasswordChange,
    TokenCreate,
    TokenCreated,
    TokenRead,
    UserCreate,
    UserRead,
    UserUpdate,
)
from anime_studio.auth.security import verify_password
from anime_studio.deps import (
    CSRF_COOKIE,
    SESSION_COOKIE,
    AdminUser,
    CurrentUser,
    ItemId,
    SessionDep,
    SettingsDep,
)
from anime_studio.errors import Invalid

router = APIRouter(tags=["auth"])


def _cookie_path(request: Request) -> str:
    return (request.scope.get("root_path") or "") + "/"


@router.post("/auth/login", response_model=LoginResponse)
async def login(
    body: LoginRequest, request: Request, response: Response, session: SessionDep, settings: SettingsDep
) -> LoginResponse:
    """Sign in with username and password; sets the session cookie and returns the CSRF token."""
    user = await service.authenticate(session=session, username=body.username, password=body.password)
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
            secure=settings.cookie_secure,
        )
    return LoginResponse(user=UserRead.model_validate(user), csrf_token=csrf)


@router.post("/auth/logout", status_code=status.HTTP_204_NO_CONTENT)
async def logout(request: Request, response: Response, session: SessionDep, _: CurrentUser) -> None:
    """End the current browser session."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        await service.close_session(session=session, token=cookie)
    response.delete_cookie(SESSION_COOKIE, path=_cookie_path(request))
    response.delete_cookie(CSRF_COOKIE, path=_cookie_path(request))


@router.get("/auth/me", response_model=LoginResponse)
async def me(principal: CurrentUser) -> LoginResponse:
    """The signed-in user (and, for browser sessions, the CSRF token to send on writes)."""
    return LoginResponse(user=UserRead.model_validate(principal.user), csrf_token=principal.csrf_token or "")


@router.put("/auth/password", status_code=status.HTTP_204_NO_CONTENT)
async def change_password(body: PasswordChange, principal: CurrentUser, session: SessionDep) -> None:
    """Change your own password (signs out your browser sessions)."""
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
    """Change a user's role, password or active flag (admin)."""
    user = await service.get_user(session=session, user_id=user_id)
    user = await service.update_user(session=session, user=user, **body.model_dump(exclude_unset=True))
    return UserRead.model_validate(user)
