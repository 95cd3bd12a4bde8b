"""Generation style request/response models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import Name, Text

ModelName = Annotated[str, StringConstraints(max_length=255, strip_whitespace=True, pattern=r"^[^\x00/\\]*$")]
Token = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.+-]+$")]


class StyleFields(RequestModel):
    description: Text = ""
    checkpoint_model: ModelName = Field(default="", description="Model file name; empty = the engine's default")
    cfg_scale: float = Field(default=7.0, ge=0.0, le=30.0)
    steps: int = Field(default=25, ge=1, le=200)
    sampler: Token = "euler_ancestral"
    scheduler: Token = "normal"
    width: int = Field(default=1024, ge=64, le=8192, multiple_of=8)
    height: int = Field(default=576, ge=64, le=8192, multiple_of=8)
    fps: int = Field(default=24, ge=1, le=120)
    lora_strength: float = Field(default=0.8, ge=0.0, le=2.0, description="Strength of a character's promoted LoRA")
    positive_prompt_template: Text = Field(
        default="masterpiece, best quality, anime style",
        description="Quality tags; may contain {prompt} where the design prompt goes (else it is prepended)",
    )
    negative_prompt_template: Text = Field(
        default="lowres, bad anatomy, bad hands, text, error, worst quality, low quality, blurry, watermark",
        description="Base negative prompt of every generation in the project",
    )


class StyleCreate(StyleFields):
    name: Name


class StyleUpdate(RequestModel):
    name: Name | None = None
    description: Text | None = None
    checkpoint_model: ModelName | None = None
    cfg_scale: float | None = Field(default=None, ge=0.0, le=30.0)
    steps: int | None = Field(default=None, ge=1, le=200)
    sampler: Token | None = None
    scheduler: Token | None = None
    width: int | None = Field(default=None, ge=64, le=8192, multiple_of=8)
    height: int | None = Field(default=None, ge=64, le=8192, multiple_of=8)
    fps: int | None = Field(default=None, ge=1, le=120)
    lora_strength: float | None = Field(default=None, ge=0.0, le=2.0)
    positive_prompt_template: Text | None = None
    negative_prompt_template: Text | None = None


class StyleRead(StyleFields):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime
    updated_at: datetime
