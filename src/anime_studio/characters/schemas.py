"""Character request/response models, including the structured appearance data and voice."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, LongText, Name, ShortText, Slug, TagList, Text

ColorValue = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]
PartName = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]


class AppearanceData(RequestModel):
    """What a character looks like; drives negatives, the vision checklist and the storyboard figure."""

    model_config = ConfigDict(extra="allow")

    species: ShortText = Field(default="human", description='e.g. "human" or "mushroom creature (NOT human)"')
    key_colors: dict[PartName, ColorValue] = Field(
        default_factory=dict, max_length=32, description='part → colour name or hex, e.g. {"hair": "#ff3366"}'
    )
    key_features: TagList = Field(default_factory=list)
    common_errors: TagList = Field(default_factory=list, description="terms appended to the negative prompt")


class Voice(RequestModel):
    """Voice of the character for dialogue TTS."""

    voice: Annotated[str, StringConstraints(max_length=64, pattern=r"^[A-Za-z0-9_+.\-]*$")] = "en-us"
    pitch: int = Field(default=50, ge=0, le=99)
    rate: int = Field(default=170, ge=80, le=450)
    volume: int = Field(default=100, ge=0, le=200)


class CharacterCreate(RequestModel):
    name: Name
    slug: Slug | None = None
    role: ShortText = ""
    description: Text = ""
    design_prompt: LongText = ""
    appearance_data: AppearanceData = Field(default_factory=AppearanceData)
    voice: Voice = Field(default_factory=Voice)


class CharacterCreateInProject(CharacterCreate):
    project_id: DbId


class AppearanceUpdate(RequestModel):
    appearance_data: AppearanceData


class CharacterUpdate(RequestModel):
    name: Name | None = None
    role: ShortText | None = None
    description: Text | None = None
    design_prompt: LongText | None = None
    appearance_data: AppearanceData | None = None
    voice: Voice | None = None


class CharacterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    name: str
    slug: str
    role: str
    description: str
    design_prompt: str
    appearance_data: AppearanceData
    voice: Voice
    created_at: datetime
    updated_at: datetime


class CharacterWithProject(CharacterRead):
    project_name: str
    project_slug: str


class PromptParts(BaseModel):
    quality_tags: str
    design_prompt: str
    base_negative: str
    world_negative: str
    species_negative: list[str]
    common_errors: list[str]


class CharacterPrompt(BaseModel):
    """The composed SSOT prompt for a character, with the pieces it was built from."""

    character_id: DbId
    project_id: DbId
    positive: str
    negative: str
    is_human: bool
    checkpoint_model: str
    parts: PromptParts
