"""The language engine protocol and the structured story breakdown it returns."""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel, Field

from anime_studio.engines.base import EngineStatus


class CharacterBrief(BaseModel):
    name: str
    slug: str
    role: str = ""
    design_prompt: str = ""


class StoryContext(BaseModel):
    project_name: str
    title: str = ""
    summary: str = ""
    script: str = ""
    """A Fountain screenplay or free story text."""
    tone: str = ""
    genre: str = ""
    themes: list[str] = Field(default_factory=list)
    art_style: str = ""
    world_description: str = ""
    characters: list[CharacterBrief] = Field(default_factory=list)


ShotType = Literal["establishing", "wide", "medium", "close-up", "extreme_close-up", "action"]


class ShotPlan(BaseModel):
    shot_type: ShotType = "medium"
    camera_angle: str = "eye_level"
    description: str = ""
    motion_prompt: str = ""
    duration: float = Field(default=3.0, gt=0, le=60)
    characters: list[str] = Field(default_factory=list, description="character slugs in frame")
    dialogue_character: str | None = Field(default=None, description="slug of the speaker")
    dialogue_text: str = ""


class ScenePlan(BaseModel):
    title: str
    description: str = ""
    location: str = ""
    time_of_day: str = ""
    weather: str = ""
    mood: str = ""
    shots: list[ShotPlan] = Field(default_factory=list)


class AppearanceDraft(BaseModel):
    """Structured appearance drafted from a design prompt (what ``/characters/narrate-appearance`` saves)."""

    species: str = "human"
    key_colors: dict[str, str] = Field(default_factory=dict, description="part → colour")
    key_features: list[str] = Field(default_factory=list, max_length=12)
    common_errors: list[str] = Field(default_factory=list, max_length=12)


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant"]
    content: str


class LlmEngine(Protocol):
    name: str

    async def breakdown(self, context: StoryContext, *, max_scenes: int = 12) -> list[ScenePlan]:
        """Split a story into scenes with shots, locations, moods and motion prompts."""
        ...

    async def enhance_prompt(self, prompt: str, *, context: StoryContext | None = None) -> str:
        """Return a richer generation prompt that keeps every term of ``prompt``."""
        ...

    async def chat(self, messages: list[ChatMessage], *, context: StoryContext | None = None) -> str: ...

    async def describe_appearance(self, *, name: str, design_prompt: str, description: str = "") -> AppearanceDraft:
        """Species, key colours, key features and likely generation errors of a character from its design."""
        ...

    async def status(self) -> EngineStatus: ...
