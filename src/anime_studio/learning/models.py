"""The ``drift_warnings`` table: a character's approvals or scores fell against its own baseline."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class DriftWarning(Timestamps, Base):
    __tablename__ = "drift_warnings"
    __table_args__ = (
        # One open warning per character: two processes checking the same decision cannot both raise one.
        Index(
            "ix_drift_warnings_open",
            "character_id",
            unique=True,
            postgresql_where=text("dismissed_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"))
    metric: Mapped[str] = mapped_column(String(32))
    baseline: Mapped[float]
    recent: Mapped[float]
    window: Mapped[int]
    message: Mapped[str] = mapped_column(Text)
    dismissed_at: Mapped[datetime | None]
    dismissed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
