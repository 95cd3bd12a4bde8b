"""The ``memory_items`` table: one row per indexed project fact, with its text and (for pgvector) its vector."""

from __future__ import annotations

from typing import Any

from pgvector.sqlalchemy import Vector
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class MemoryItem(Timestamps, Base):
    """The catalogue of what memory knows; the vector lives here (pgvector) or in Qdrant under the same id.

    The nullable foreign keys exist so that the database itself forgets a fact when its source row goes, however
    it goes (a route, a cascade from a deleted scene, a bulk delete).
    """

    __tablename__ = "memory_items"
    __table_args__ = (
        UniqueConstraint("kind", "ref_id"),
        Index("ix_memory_items_project_engine", "project_id", "engine"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[int]
    character_id: Mapped[int | None] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    scene_id: Mapped[int | None] = mapped_column(ForeignKey("scenes.id", ondelete="CASCADE"), index=True)
    shot_id: Mapped[int | None] = mapped_column(ForeignKey("shots.id", ondelete="CASCADE"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[dict[str, Any]] = mapped_column(default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(120))
    dimensions: Mapped[int]
    # No fixed size: the engine (and so the size) is a setting; searches compare only rows of the current engine.
    embedding: Mapped[list[float] | None] = mapped_column(Vector())
