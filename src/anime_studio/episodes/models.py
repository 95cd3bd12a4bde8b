"""Episodes and their ordered scenes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class Episode(Timestamps, Base):
    __tablename__ = "episodes"
    __table_args__ = (
        UniqueConstraint("project_id", "number"),
        CheckConstraint("number BETWEEN 1 AND 9999", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    season: Mapped[int] = mapped_column(default=1)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    story_arc: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(32), default="draft")
    output_path: Mapped[str | None] = mapped_column(Text)
    thumbnail_path: Mapped[str | None] = mapped_column(Text)
    publish_path: Mapped[str | None] = mapped_column(Text)
    duration: Mapped[float | None]
    published_at: Mapped[datetime | None]


class EpisodeScene(Base):
    __tablename__ = "episode_scenes"
    __table_args__ = (
        UniqueConstraint("episode_id", "position", deferrable=True, initially="DEFERRED"),
        UniqueConstraint("episode_id", "scene_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    episode_id: Mapped[int] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"), index=True)
    scene_id: Mapped[int] = mapped_column(ForeignKey("scenes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
