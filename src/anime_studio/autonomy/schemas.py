"""Replenishment API models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.inputs import RequestModel


class GuardSettings(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    enabled: bool
    cooldown_seconds: int
    daily_limit: int
    max_consecutive_rejects: int
    pending_buffer: int
    max_concurrent: int
    batch_size: int


class GuardSettingsUpdate(RequestModel):
    cooldown_seconds: int | None = Field(default=None, ge=0, le=86_400, description="per character, between batches")
    daily_limit: int | None = Field(default=None, ge=1, le=1000, description="images per character per UTC day")
    max_consecutive_rejects: int | None = Field(default=None, ge=1, le=100)
    pending_buffer: int | None = Field(default=None, ge=1, le=1000, description="no batch while this many wait")
    max_concurrent: int | None = Field(default=None, ge=1, le=32, description="batches at once, all characters")
    batch_size: int | None = Field(default=None, ge=1, le=16, description="images per round")


class CharacterSettingsUpdate(RequestModel):
    use_learned_parameters: bool


class CharacterStatus(BaseModel):
    character_id: int
    name: str
    slug: str
    project_id: int
    project_name: str
    active: bool
    use_learned_parameters: bool
    target: int
    approved: int
    pending: int
    generated_today: int
    reject_streak: int
    batch_in_flight: bool
    cooldown_left: float
    state: str = Field(description="generate, done, paused (needs a person), waiting (resumes by itself), off")
    reason: str = Field(description='why, e.g. "5 rejects in a row", "3 pending to review", "cooldown 42 s"')


class ActiveBatch(BaseModel):
    batch_id: int
    character_id: int
    character_name: str
    size: int
    step: str
    run_id: int | None


class ReplenishmentStatus(BaseModel):
    enabled: bool
    settings: GuardSettings
    active_tasks: list[ActiveBatch]
    daily_counts: dict[str, int] = Field(description="images generated today (UTC) per character slug")
    characters: list[CharacterStatus]


class ReadinessItem(BaseModel):
    character_id: int
    name: str
    slug: str
    project_id: int
    project_name: str
    target: int
    approved: int
    pending: int
    rejected: int
    progress: float = Field(description="approved / target, at most 1")
    ready: bool
    replenishing: bool


class Readiness(BaseModel):
    project_name: str | None
    ready: int
    total: int
    characters: list[ReadinessItem]
