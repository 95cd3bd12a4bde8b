"""Approval and reference-image API models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, StringConstraints

from anime_studio.assets.models import AssetStatus
from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, ShortText, Text
from anime_studio.datasets.captions import DatasetSettings


class ApprovalRequest(RequestModel):
    asset_ids: list[DbId] = Field(min_length=1, max_length=500)
    approved: bool
    feedback: Text = ""


class ReferenceImages(BaseModel):
    character_id: int
    images: list[str]
    count: int


class ApprovedImage(BaseModel):
    asset_id: int
    character_id: int | None
    file_url: str
    thumbnail_url: str
    quality_score: float | None


class DatasetImage(BaseModel):
    """One dataset image with everything the Approve tab's review detail shows."""

    id: int
    status: AssetStatus
    file_url: str
    thumbnail_url: str
    width: int | None
    height: int | None
    quality_score: float | None
    source: str = Field(description="upload, video, url or generated")
    caption: str
    review: dict[str, Any] = Field(description="scores, checklist, species check, issues, description, engine")
    decisions: list[dict[str, Any]] = Field(description="who or what set each status, why, and when")
    provenance: dict[str, Any]
    created_at: datetime


class StatusCounts(BaseModel):
    pending: int = 0
    approved: int = 0
    rejected: int = 0


class DatasetView(BaseModel):
    character_id: int
    settings: DatasetSettings
    counts: StatusCounts
    """All of the character's images, ignoring the filters; ``settings.target`` is the approved count wanted."""
    items: list[DatasetImage]
    reject_reasons: list[str]
    checks: list[str] = Field(description="checklist items the filter ``failed_check`` accepts")


class ReviewDecision(RequestModel):
    asset_ids: list[DbId] = Field(min_length=1, max_length=500)
    status: Literal["approved", "rejected", "pending"]
    """``pending`` undoes a decision."""
    reason: ShortText = ""


class CaptionUpdate(RequestModel):
    caption: Annotated[Text, Field(max_length=2000)]


class LinkIngest(RequestModel):
    url: Annotated[str, StringConstraints(min_length=8, max_length=2000, strip_whitespace=True)]
    every: float = Field(default=2.0, ge=0.5, le=60)


class ExportResult(BaseModel):
    folder: str = Field(description="relative to the media root")
    manifest: dict[str, Any]
