"""Run (job) API models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from anime_studio.jobs.models import RunStatus


class RunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    label: str
    status: RunStatus
    progress: float
    message: str
    project_id: int | None
    subject_type: str | None
    subject_id: int | None
    params: dict[str, Any]
    result: dict[str, Any]
    error: str | None
    attempts: int
    max_attempts: int
    queue: str
    job_id: int | None
    worker: str | None
    cancel_requested: bool
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    updated_at: datetime
