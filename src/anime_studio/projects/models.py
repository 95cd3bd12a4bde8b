"""Projects: the root of everything a studio makes."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class Project(Timestamps, Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    genre: Mapped[str] = mapped_column(String(120), default="")
    premise: Mapped[str] = mapped_column(Text, default="")
    content_rating: Mapped[str] = mapped_column(String(16), default="PG-13")
    status: Mapped[str] = mapped_column(String(32), default="active")
    default_style_id: Mapped[int | None] = mapped_column(
        ForeignKey("generation_styles.id", ondelete="SET NULL"), index=True
    )
