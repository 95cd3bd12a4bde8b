"""Request and response models of ``/api/lora/training/…``."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId

PresetName = Literal["sd15-character", "sdxl-character"]
CheckpointName = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[^\x00\\]*$")]
TriggerWord = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.-]+$")]


class AdvancedSettings(RequestModel):
    """Overrides of the preset; anything left out keeps the preset's value."""

    rank: int | None = Field(default=None, ge=1, le=128, description="LoRA rank (network dim)")
    alpha: float | None = Field(default=None, gt=0, le=256)
    learning_rate: float | None = Field(default=None, gt=0, le=0.01)
    epochs: int | None = Field(default=None, ge=1, le=100)
    batch_size: int | None = Field(default=None, ge=1, le=64)
    resolution: int | None = Field(default=None, ge=256, le=2048, multiple_of=64)
    bucketing: bool | None = None
    caption_dropout: float | None = Field(default=None, ge=0, le=0.9)
    seed: int | None = Field(default=None, ge=0, le=2_147_483_647)


class TrainingStart(RequestModel):
    character_id: DbId
    preset: PresetName = "sd15-character"
    checkpoint: CheckpointName | None = Field(
        default=None, description="Base model file; default: the project's style checkpoint"
    )
    trigger_word: TriggerWord | None = Field(default=None, description="Default: the dataset's caption trigger")
    advanced: AdvancedSettings = Field(default_factory=AdvancedSettings)


class PresetRead(BaseModel):
    name: PresetName
    label: str
    family: Literal["sd15", "sdxl"]
    settings: dict[str, Any]


class TrainingRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    character_id: int
    run_id: int | None
    status: str = Field(description="The run's status: queued, running, succeeded, failed, cancelled")
    message: str = ""
    preset: str
    engine: str
    settings: dict[str, Any]
    dataset_snapshot: str
    dataset_count: int
    step: int
    total_steps: int
    epoch: int
    total_epochs: int
    eta_seconds: float | None
    best_epoch: int | None
    created_at: datetime


class LossRead(BaseModel):
    training_id: int
    points: list[tuple[int, float]] = Field(description="[step, loss] in step order")


class SampleRead(BaseModel):
    index: int
    seed: int
    prompt: str
    url: str
    score: float | None
    issues: list[str] = Field(default_factory=list)


class EpochRead(BaseModel):
    epoch: int
    loss: float | None
    steps: int
    score: float | None
    best: bool
    samples: list[SampleRead]


class LoraVersionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    character_id: int
    training_id: int | None
    number: int
    name: str
    epoch: int
    trigger_word: str
    score: float | None
    active: bool
    created_at: datetime


class PromoteRequest(RequestModel):
    epoch: int | None = Field(default=None, ge=1, le=100, description="Default: the best epoch")


class PromoteResult(BaseModel):
    version: LoraVersionRead
    previous: LoraVersionRead | None
    rerender_asset_ids: list[int] = Field(description="Images made with the previous version, to offer re-rendering")
    rerender_shot_ids: list[int] = Field(
        default_factory=list, description="Shots whose keyframe loaded the previous version, to offer re-rendering"
    )


class RerenderRequest(RequestModel):
    asset_ids: list[DbId] = Field(default_factory=list, max_length=500)
    shot_ids: list[DbId] = Field(default_factory=list, max_length=500)

    @model_validator(mode="after")
    def _names_work(self) -> RerenderRequest:
        if not self.asset_ids and not self.shot_ids:
            raise ValueError("name at least one image (asset_ids) or shot (shot_ids) to re-render")
        return self


class RerenderResult(BaseModel):
    run_ids: list[int]
