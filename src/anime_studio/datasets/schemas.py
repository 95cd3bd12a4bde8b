"""Approval and reference-image API models."""

from __future__ import annotations

from pydantic import BaseModel, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, Text


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
