"""The ``assets`` table: one row per produced file, with its provenance and review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class AssetKind(enum.StrEnum):
    image = "image"  # character dataset image
    video = "video"  # character video made from an image
    clip = "clip"  # a shot's generated clip
    scene = "scene"  # an assembled scene
    episode = "episode"  # an assembled episode
    audio = "audio"  # music or dialogue


class AssetStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"
    ready = "ready"


class Asset(Timestamps, Base):
    __tablename__ = "assets"
    __table_args__ = (
        Index("ix_assets_feed", "created_at", "id"),
        Index("ix_assets_project_feed", "project_id", "created_at", "id"),
        Index("ix_assets_character_status", "character_id", "status"),
        Index("ix_assets_kind_feed", "kind", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    character_id: Mapped[int | None] = mapped_column(ForeignKey("characters.id", ondelete="SET NULL"))
    scene_id: Mapped[int | None] = mapped_column(ForeignKey("scenes.id", ondelete="SET NULL"), index=True)
    shot_id: Mapped[int | None] = mapped_column(ForeignKey("shots.id", ondelete="SET NULL"), index=True)
    episode_id: Mapped[int | None] = mapped_column(ForeignKey("episodes.id", ondelete="SET NULL"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    source_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    kind: Mapped[AssetKind] = mapped_column(Enum(AssetKind, name="asset_kind", native_enum=False, length=16))
    status: Mapped[AssetStatus] = mapped_column(
        Enum(AssetStatus, name="asset_status", native_enum=False, length=16), default=AssetStatus.ready
    )
    path: Mapped[str] = mapped_column(Text, unique=True)
    mime: Mapped[str] = mapped_column(String(64))
    width: Mapped[int | None]
    height: Mapped[int | None]
    duration: Mapped[float | None]
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    quality_score: Mapped[float | None]
    review: Mapped[dict[str, Any]] = mapped_column(default=dict)
    provenance: Mapped[dict[str, Any]] = mapped_column(default=dict)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None]
    feedback: Mapped[str] = mapped_column(Text, default="")
