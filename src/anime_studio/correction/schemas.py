"""Auto-correction API models."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId

Strategy = Literal[
    "fix_quality", "fix_resolution", "fix_blur", "fix_brightness", "fix_contrast", "fix_appearance", "fix_solo"
]


class AutoCorrectionSetting(BaseModel):
    project_id: int
    enabled: bool


class AutoCorrectionUpdate(RequestModel):
    enabled: bool


class CorrectionRequest(RequestModel):
    asset_id: DbId
    strategy: Strategy | None = Field(default=None, description="chosen from the image's review when left out")


class ImageLink(BaseModel):
    id: int
    status: str
    thumbnail_url: str
    file_url: str
    width: int | None
    height: int | None
    quality_score: float | None


class CorrectionRead(BaseModel):
    id: int
    character_id: int
    strategy: str
    reason: str = Field(description="the reject reason or review issues the strategy answers")
    status: Literal["queued", "done", "failed"]
    detail: str = Field(description="what changed, measured (e.g. mean luminance 31 → 118)")
    run_id: int | None
    original: ImageLink | None
    corrected: ImageLink | None
    created_at: datetime
