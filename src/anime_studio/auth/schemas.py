"""Auth request/response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from anime_studio.auth.models import Role
from anime_studio.common.inputs import RequestModel

Username = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.-]{2,64}$")]
Password = Annotated[str, StringConstraints(min_length=8, max_length=256)]


class LoginRequest(RequestModel):
    username: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    password: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    role: Role
    is_active: bool
    created_at: datetime
    last_login_at: datetime | None


class LoginResponse(BaseModel):
    user: UserRead
    csrf_token: str = Field(description="Send back as the X-CSRF-Token header on cookie-authenticated writes.")


class UserCreate(RequestModel):
    username: Username
    password: Password
    role: Role = Role.editor


class UserUpdate(RequestModel):
    password: Password | None = None
    role: Role | None = None
    is_active: bool | None = None


class PasswordChange(RequestModel):
    current_password: Annotated[str, StringConstraints(min_length=1, max_length=256)]
    new_password: Password


class TokenCreate(RequestModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=100, strip_whitespace=True)]
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class TokenRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None


class TokenCreated(TokenRead):
    token: str = Field(description="Shown once; store it now.")
