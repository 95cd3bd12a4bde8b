"""Workflow templates: a studio's own ComfyUI API-format workflow, stored with the markers found in it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class WorkflowTemplate(Timestamps, Base):
    __tablename__ = "workflow_templates"
    __table_args__ = (CheckConstraint("kind IN ('image', 'video')", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(16), default="image")
    workflow: Mapped[dict[str, Any]]
    markers: Mapped[list[str]]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
