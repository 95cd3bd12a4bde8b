"""Workflow template request/response models."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import JsonObject, Name, Text


class TemplateCreate(RequestModel):
    name: Name
    description: Text = ""
    kind: Literal["image", "video"] = "image"
    workflow: JsonObject = Field(
        description='ComfyUI API-format workflow; mark inputs with "{{prompt}}" … or node titles "studio:prompt" …'
    )


class TemplateSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    description: str
    kind: str
    markers: list[str]
    created_at: datetime
    updated_at: datetime


class TemplateRead(TemplateSummary):
    workflow: dict[str, Any]


class BackendCheck(BaseModel):
    """The template checked against one ComfyUI backend's ``/object_info``."""

    url: str
    reachable: bool
    ok: bool
    missing: list[str] = Field(default_factory=list, description="node packs and model files to install")
    problems: list[str] = Field(default_factory=list, description="values this backend does not accept")
    error: str = ""


class TemplateValidation(BaseModel):
    template_id: int
    ok: bool = Field(description="at least one backend can run the template")
    backends: list[BackendCheck]
