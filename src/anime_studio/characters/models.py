"""Characters: design prompt + appearance data; no per-character generation overrides (SSOT)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class Character(Timestamps, Base):
    __tablename__ = "characters"
    __table_args__ = (UniqueConstraint("project_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(120), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    design_prompt: Mapped[str] = mapped_column(Text, default="")
    appearance_data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    voice: Mapped[dict[str, Any]] = mapped_column(default=dict)
