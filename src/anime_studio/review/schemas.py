"""Request and response bodies of the review API."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.types import MAX_DB_INT

SubjectType = Literal["shot", "scene", "episode"]
Status = Literal["todo", "in_review", "approved", "retake"]
Gate = Literal["off", "publish", "assembly"]


class ReviewVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    subject_type: str
    subject_id: int
    number: int
    path: str
    size_bytes: int
    duration: float | None
    fps: float | None
    engine: str
    seed: int | None
    lora_version: str | None
    provenance: dict[str, Any]
    run_id: int | None
    created_by: int | None
    created_at: datetime
    purged_at: datetime | None
    file_url: str = ""


class StatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    version_id: int | None
    status: str
    reason: str
    user_id: int | None
    created_at: datetime


class ReviewRead(BaseModel):
    subject_type: str
    subject_id: int
    status: str
    reason: str
    current_version_id: int | None
    approved_version_id: int | None
    changed_by: int | None
    changed_at: datetime
    versions: list[ReviewVersionRead]
    history: list[StatusChangeRead]


class StatusUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: Status
    reason: str = Field(default="", max_length=2000)


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=5000)
    timecode: float | None = Field(default=None, ge=0, le=86_400)
    parent_id: int | None = Field(default=None, ge=1, le=MAX_DB_INT)


class CommentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    version_id: int
    parent_id: int | None
    author_id: int | None
    author: str | None = None
    body: str
    timecode: float | None
    frame: int | None
    mentions: list[int]
    created_at: datetime
    still_url: str | None = None


class UnreadRead(BaseModel):
    unread: int
    mentions: int
    by_version: dict[str, int]


class TypeStorage(BaseModel):
    versions: int
    bytes: int


class StorageRead(BaseModel):
    project_id: int
    total_bytes: int
    by_type: dict[str, TypeStorage]
    purgeable_versions: int
    purgeable_bytes: int


class PurgeResult(BaseModel):
    purged_versions: int
    freed_bytes: int


class ReviewSettingsRead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gate: Gate
