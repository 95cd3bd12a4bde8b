"""Storyline and world-settings models (upserted with PUT, partially updated with PATCH semantics)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import JsonList, JsonObject, LongText, ShortText, TagList, Text

HexColor = Annotated[str, Field(pattern=r"^#[0-9A-Fa-f]{6}$")]


class StorylineFields(RequestModel):
    title: ShortText | None = None
    summary: LongText | None = None
    theme: Text | None = None
    genre: ShortText | None = None
    target_audience: ShortText | None = None
    tone: ShortText | None = None
    humor_style: ShortText | None = None
    themes: TagList | None = None
    story_arcs: Annotated[JsonList, Field(max_length=500)] | None = None
    script: LongText | None = Field(
        default=None, description="The story text or a Fountain screenplay; drives story-to-scenes"
    )


class StorylineRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    project_id: int
    title: str = ""
    summary: str = ""
    theme: str = ""
    genre: str = ""
    target_audience: str = ""
    tone: str = ""
    humor_style: str = ""
    themes: list[str] = Field(default_factory=list)
    story_arcs: list[Any] = Field(default_factory=list)
    script: str = ""
    updated_at: datetime | None = None


class ColorPalette(RequestModel):
    """Named colours of the world; ``primary``/``secondary``/``accent``/``background`` drive the storyboard."""

    model_config = ConfigDict(extra="allow")

    primary: list[HexColor] = Field(default_factory=list, max_length=16)
    secondary: list[HexColor] = Field(default_factory=list, max_length=16)
    accent: list[HexColor] = Field(default_factory=list, max_length=16)
    background: list[HexColor] = Field(default_factory=list, max_length=16)


class WorldSettingsFields(RequestModel):
    style_preamble: Text | None = None
    art_style: Text | None = None
    aesthetic: Text | None = None
    color_palette: ColorPalette | None = None
    cinematography: JsonObject | None = None
    world_location: JsonObject | None = None
    time_period: ShortText | None = None
    production_notes: LongText | None = None
    known_issues: TagList | None = None
    negative_prompt_guidance: Text | None = None


class WorldSettingsRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    project_id: int
    style_preamble: str = ""
    art_style: str = ""
    aesthetic: str = ""
    color_palette: dict[str, Any] = Field(default_factory=dict)
    cinematography: dict[str, Any] = Field(default_factory=dict)
    world_location: dict[str, Any] = Field(default_factory=dict)
    time_period: str = ""
    production_notes: str = ""
    known_issues: list[str] = Field(default_factory=list)
    negative_prompt_guidance: str = ""
    updated_at: datetime | None = None
