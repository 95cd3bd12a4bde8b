"""Asset (gallery) API models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.assets.models import AssetKind, AssetStatus


class AssetRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    character_id: int | None
    scene_id: int | None
    shot_id: int | None
    episode_id: int | None
    run_id: int | None
    source_asset_id: int | None
    kind: AssetKind
    status: AssetStatus
    path: str = Field(description="relative to the media root")
    mime: str
    width: int | None
    height: int | None
    duration: float | None
    size_bytes: int
    quality_score: float | None
    created_at: datetime
    file_url: str = ""
    thumbnail_url: str = ""


class AssetDetail(AssetRead):
    review: dict[str, Any]
    provenance: dict[str, Any]
    feedback: str
    reviewed_at: datetime | None


class GalleryPage(BaseModel):
    items: list[AssetRead]
    next_cursor: str | None
