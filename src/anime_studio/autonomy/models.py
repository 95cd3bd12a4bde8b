"""Replenishment tables: the loop's guard settings, the characters it works on, and its batches."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class ReplenishmentSettings(Timestamps, Base):
    """One row (id 1): the on/off switch and the seven guards' limits, shared by every process."""

    __tablename__ = "replenishment_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, default=1)
    enabled: Mapped[bool] = mapped_column(default=False)
    cooldown_seconds: Mapped[int] = mapped_column(default=60)
    daily_limit: Mapped[int] = mapped_column(default=10)
    max_consecutive_rejects: Mapped[int] = mapped_column(default=5)
    pending_buffer: Mapped[int] = mapped_column(default=3)
    max_concurrent: Mapped[int] = mapped_column(default=2)
    batch_size: Mapped[int] = mapped_column(default=3)


class ReplenishmentCharacter(Timestamps, Base):
    """A character the loop works on (it was given a target); its target lives in the dataset settings."""

    __tablename__ = "replenishment_characters"

    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), primary_key=True)
    active: Mapped[bool] = mapped_column(default=True)
    use_learned_parameters: Mapped[bool] = mapped_column(default=False)
    # Rejects before this moment do not count towards the consecutive-rejects guard (reset on resume).
    streak_since: Mapped[datetime] = mapped_column(server_default=func.now())


class ReplenishmentBatch(Timestamps, Base):
    """One round of the loop: generated, copied into the dataset, reviewed; ``run_id`` is its current step."""

    __tablename__ = "replenishment_batches"
    __table_args__ = (CheckConstraint("size > 0", name="size"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    size: Mapped[int]
    seed: Mapped[int] = mapped_column(BigInteger)
    step: Mapped[str] = mapped_column(String(16), default="generate")  # generate → review → done
    asset_ids: Mapped[list[Any]] = mapped_column(default=list)
    approved: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
