"""Generation request models."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, Text

MAX_SEED = 2**32 - 1


class GenerateRequest(RequestModel):
    kind: Literal["image", "video"] = "image"
    count: int = Field(default=4, ge=1, le=16, description="images to generate (videos: 1–4)")
    seed: int | None = Field(default=None, ge=0, le=MAX_SEED, description="first seed; the next images use seed+1…")
    prompt_extra: Text = Field(default="", description="appended after the design prompt (pose, setting)")
    source_asset_id: DbId | None = Field(default=None, description="for videos: the approved image to animate")
    duration: float = Field(default=3.0, gt=0, le=20, description="for videos: seconds")
    motion_prompt: Text = ""
