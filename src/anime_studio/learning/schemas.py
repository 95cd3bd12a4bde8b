"""Learning API models: insights per character and drift warnings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class ParameterRate(BaseModel):
    dimension: str = Field(description="engine, checkpoint, cfg, steps, sampler, seed_range, lora or prompt_addition")
    value: str
    approved: int
    decided: int
    success_rate: float
    mean_score: float | None


class ReasonCount(BaseModel):
    reason: str
    count: int


class Suggested(BaseModel):
    """``null`` / empty where the history does not support a choice yet."""

    cfg_scale: float | None
    steps: int | None
    sampler: str | None
    seed: int | None
    prompt_additions: list[str]
    negative_additions: list[str]


class InsightsRead(BaseModel):
    character_id: int
    approved: int
    rejected: int
    pending: int
    approval_rate: float | None = Field(description="approved / decided; null before any decision")
    mean_score: float | None
    parameters: list[ParameterRate]
    what_works: list[ParameterRate] = Field(description="the best supported value of each parameter")
    reject_reasons: list[ReasonCount]
    suggested: Suggested


class DriftWarningRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    character_id: int
    metric: str
    baseline: float
    recent: float
    window: int
    message: str
    created_at: datetime
    dismissed_at: datetime | None
