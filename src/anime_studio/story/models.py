"""Storyline and world settings: one of each per project."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class Storyline(Timestamps, Base):
    __tablename__ = "storylines"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    theme: Mapped[str] = mapped_column(Text, default="")
    genre: Mapped[str] = mapped_column(String(120), default="")
    target_audience: Mapped[str] = mapped_column(String(200), default="")
    tone: Mapped[str] = mapped_column(String(200), default="")
    humor_style: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[list[str]] = mapped_column(default=list)
    story_arcs: Mapped[list[Any]] = mapped_column(default=list)
    script: Mapped[str] = mapped_column(Text, default="")


class WorldSettings(Timestamps, Base):
    __tablename__ = "world_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    style_preamble: Mapped[str] = mapped_column(Text, default="")
    art_style: Mapped[str] = mapped_column(Text, default="")
    aesthetic: Mapped[str] = mapped_column(Text, default="")
    color_palette: Mapped[dict[str, Any]] = mapped_column(default=dict)
    cinematography: Mapped[dict[str, Any]] = mapped_column(default=dict)
    world_location: Mapped[dict[str, Any]] = mapped_column(default=dict)
    time_period: Mapped[str] = mapped_column(String(200), default="")
    production_notes: Mapped[str] = mapped_column(Text, default="")
    known_issues: Mapped[list[str]] = mapped_column(default=list)
    negative_prompt_guidance: Mapped[str] = mapped_column(Text, default="")
