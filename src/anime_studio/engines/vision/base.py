"""The vision review protocol and the score schema shared by every reviewer."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from anime_studio.engines.base import EngineStatus


@dataclass(frozen=True)
class ReviewRequest:
    image_path: Path
    character_name: str = ""
    design_prompt: str = ""
    species: str = "human"
    is_human: bool = True
    key_colors: dict[str, str] = field(default_factory=dict)
    key_features: tuple[str, ...] = ()
    common_errors: tuple[str, ...] = ()
    expected_width: int | None = None
    expected_height: int | None = None
    context: str = ""
    """Free text for shot reviews (scene description, motion prompt)."""


class ReviewScores(BaseModel):
    """The spec's vision-review scores (Gemma3 in the original), identical for every reviewer."""

    character_match: float = Field(ge=0, le=10)
    clarity: float = Field(ge=0, le=10)
    training_value: float = Field(ge=0, le=10)
    solo: bool
    completeness: Literal["full", "partial", "face", "unknown"] = "unknown"
    quality_score: float = Field(ge=0, le=1)
    issues: list[str] = Field(default_factory=list)
    feature_checklist: dict[str, bool] = Field(default_factory=dict)
    species_verified: bool | None = None
    description: str = ""
    """Booru-style tags of what is visible, from engines that can describe; used in dataset captions."""
    engine: str = ""


class VisionEngine(Protocol):
    name: str

    async def review(self, request: ReviewRequest) -> ReviewScores: ...

    async def status(self) -> EngineStatus: ...
