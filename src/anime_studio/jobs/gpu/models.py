"""``gpu_renders``: one row per prompt sent through a backend's queue (its state lives in our database)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps

ACTIVE = ("queued", "submitted", "running")


class GpuRender(Timestamps, Base):
    __tablename__ = "gpu_renders"
    __table_args__ = (Index("ix_gpu_renders_backend_status", "backend", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    backend: Mapped[str] = mapped_column(String(255))
    queue: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default="queued")
    checkpoint: Mapped[str] = mapped_column(String(255), default="")
    label: Mapped[str] = mapped_column(String(255), default="")
    workflow: Mapped[dict[str, Any]] = mapped_column(default=dict)
    uploads: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prompt_id: Mapped[str | None] = mapped_column(String(64))
    job_id: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(Text)
    transient: Mapped[bool] = mapped_column(default=True)
    failure: Mapped[str] = mapped_column(String(32), default="", server_default="")
    """The failure class of ``error`` (``engines.comfyui.errors.FailureKind``), so the waiting run can act on it."""
    submitted_at: Mapped[datetime | None]
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
