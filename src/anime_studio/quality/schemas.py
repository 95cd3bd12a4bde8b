"""Quality gate API models."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.inputs import RequestModel


class GateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    value: float
    description: str


class GatesRead(BaseModel):
    gates: list[GateRead]


class GatesUpdate(RequestModel):
    """Any subset of the gates; values are scores between 0 and 1."""

    auto_approve: float | None = Field(default=None, ge=0, le=1)
    auto_reject: float | None = Field(default=None, ge=0, le=1)
    scene_shot_minimum: float | None = Field(default=None, ge=0, le=1)
    shot_gate_1: float | None = Field(default=None, ge=0, le=1)
    shot_gate_2: float | None = Field(default=None, ge=0, le=1)
    shot_gate_3: float | None = Field(default=None, ge=0, le=1)
