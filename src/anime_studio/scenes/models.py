"""Scenes and their shots."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class Scene(Timestamps, Base):
    __tablename__ = "scenes"
    __table_args__ = (UniqueConstraint("project_id", "scene_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    scene_number: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    location: Mapped[str] = mapped_column(String(200), default="")
    time_of_day: Mapped[str] = mapped_column(String(32), default="")
    weather: Mapped[str] = mapped_column(String(64), default="")
    mood: Mapped[str] = mapped_column(String(64), default="")
    continuity: Mapped[str] = mapped_column(String(16), default="chain")
    status: Mapped[str] = mapped_column(String(32), default="draft")
    output_path: Mapped[str | None] = mapped_column(Text)
    subtitles_path: Mapped[str | None] = mapped_column(Text)
    dialogue_audio_path: Mapped[str | None] = mapped_column(Text)
    music_path: Mapped[str | None] = mapped_column(Text)
    music: Mapped[dict[str, Any]] = mapped_column(default=dict)
    duration: Mapped[float | None]
    generation: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Shot(Timestamps, Base):
    __tablename__ = "shots"
    __table_args__ = (
        UniqueConstraint("scene_id", "position", deferrable=True, initially="DEFERRED"),
        CheckConstraint("duration > 0 AND duration <= 120", name="duration"),
        CheckConstraint("transition_duration >= 0 AND transition_duration <= 10", name="transition_duration"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scene_id: Mapped[int] = mapped_column(ForeignKey("scenes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    source_image_path: Mapped[str | None] = mapped_column(Text)
    # use_alter: assets also point at shots; the constraint is added once both tables exist.
    source_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL", use_alter=True))
    motion_prompt: Mapped[str] = mapped_column(Text, default="")
    shot_type: Mapped[str] = mapped_column(String(32), default="medium")
    camera_angle: Mapped[str] = mapped_column(String(32), default="eye_level")
    duration: Mapped[float] = mapped_column(default=3.0)
    dialogue_text: Mapped[str] = mapped_column(Text, default="")
    dialogue_character_id: Mapped[int | None] = mapped_column(
        ForeignKey("characters.id", ondelete="SET NULL"), index=True
    )
    characters: Mapped[list[Any]] = mapped_column(default=list)
    transition_type: Mapped[str] = mapped_column(String(16), default="dissolve")
    transition_duration: Mapped[float] = mapped_column(default=0.3)
    status: Mapped[str] = mapped_column(String(32), default="pending")
    output_path: Mapped[str | None] = mapped_column(Text)
    last_frame_path: Mapped[str | None] = mapped_column(Text)
    quality_score: Mapped[float | None]
    attempts: Mapped[int] = mapped_column(default=0)
    seed: Mapped[int | None] = mapped_column(BigInteger)
    steps: Mapped[int | None]
    keyframe_path: Mapped[str | None] = mapped_column(Text)
    first_frame_path: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    generation_time: Mapped[float | None]
    generated_at: Mapped[datetime | None]
