"""Auto-correction tables: the per-project switch and one row per correction (original → corrected)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps

STRATEGIES = (
    "fix_quality",
    "fix_resolution",
    "fix_blur",
    "fix_brightness",
    "fix_contrast",
    "fix_appearance",
    "fix_solo",
)


class CorrectionSetting(Timestamps, Base):
    """Auto-correction is off until someone switches it on for a project (spec: "Off by default")."""

    __tablename__ = "correction_settings"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=False)


class Correction(Timestamps, Base):
    __tablename__ = "corrections"
    # A strategy is tried once per image: a second rejection event (another process, a retry) adds nothing.
    __table_args__ = (UniqueConstraint("original_asset_id", "strategy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    original_asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"))
    corrected_asset_id: Mapped[int | None] = mapped_column(ForeignKey("assets.id", ondelete="SET NULL"))
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"))
    strategy: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="queued")
    detail: Mapped[str] = mapped_column(Text, default="")
