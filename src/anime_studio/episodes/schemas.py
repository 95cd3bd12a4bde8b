"""Episode API models."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, Name, Text


class EpisodeCreate(RequestModel):
    project_id: DbId
    title: Name
    number: int | None = Field(default=None, ge=1, le=9999, description="default: the next free number")
    season: int = Field(default=1, ge=0, le=99)
    description: Text = ""
    story_arc: Text = ""


class EpisodeUpdate(RequestModel):
    title: Name | None = None
    number: int | None = Field(default=None, ge=1, le=9999)
    season: int | None = Field(default=None, ge=0, le=99)
    description: Text | None = None
    story_arc: Text | None = None


class EpisodeSceneRead(BaseModel):
    scene_id: int
    position: int
    title: str
    status: str
    duration: float | None
    has_video: bool


class EpisodeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    number: int
    season: int
    title: str
    description: str
    story_arc: str
    status: str
    output_path: str | None
    thumbnail_path: str | None
    publish_path: str | None
    duration: float | None
    published_at: datetime | None
    created_at: datetime
    updated_at: datetime
    scene_count: int = 0


class EpisodeDetail(EpisodeRead):
    scenes: list[EpisodeSceneRead]


class AddScene(RequestModel):
    scene_id: DbId
    position: int | None = Field(default=None, ge=1, le=10_000, description="insert here (default: at the end)")


class AddScenePosition(RequestModel):
    position: int | None = Field(default=None, ge=1, le=10_000)


class SceneOrder(RequestModel):
    scene_order: list[DbId] = Field(min_length=1, max_length=10_000)
