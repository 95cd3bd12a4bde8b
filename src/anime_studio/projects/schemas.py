"""Project request/response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, LongText, Name, ShortText, Slug, Text
from anime_studio.styles.schemas import StyleRead

Rating = Annotated[str, StringConstraints(pattern=r"^(G|PG|PG-13|R|NC-17|TV-Y|TV-Y7|TV-G|TV-PG|TV-14|TV-MA)$")]
Status = Annotated[str, StringConstraints(pattern=r"^(active|paused|archived|completed)$")]


class ProjectCreate(RequestModel):
    name: Name
    slug: Slug | None = None
    description: Text = ""
    genre: ShortText = ""
    premise: LongText = ""
    content_rating: Rating = "PG-13"
    default_style_id: DbId | None = None


class ProjectUpdate(RequestModel):
    name: Name | None = None
    description: Text | None = None
    genre: ShortText | None = None
    premise: LongText | None = None
    content_rating: Rating | None = None
    status: Status | None = None
    default_style_id: DbId | None = None


class ProjectRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    slug: str
    description: str
    genre: str
    premise: str
    content_rating: str
    status: str
    default_style_id: int | None
    created_at: datetime
    updated_at: datetime


class ProjectSummary(ProjectRead):
    character_count: int = 0
    scene_count: int = 0
    episode_count: int = 0


class ProjectDetail(ProjectSummary):
    style: StyleRead | None = None
