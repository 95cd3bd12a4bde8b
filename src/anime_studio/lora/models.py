"""Tables of the lineage character → dataset snapshot → training → epochs → LoRA versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class LoraTraining(Timestamps, Base):
    """One training of a character's LoRA from one dataset snapshot (its run does the work)."""

    __tablename__ = "lora_trainings"

    id: Mapped[int] = mapped_column(primary_key=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    run_id: Mapped[int | None] = mapped_column(ForeignKey("runs.id", ondelete="SET NULL"), index=True)
    preset: Mapped[str] = mapped_column(String(32))
    engine: Mapped[str] = mapped_column(String(32))
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dataset_snapshot: Mapped[str] = mapped_column(String(64))
    dataset_path: Mapped[str] = mapped_column(Text)
    """The exported kohya folder, relative to the media root (the manifest sits beside it)."""
    manifest: Mapped[dict[str, Any]] = mapped_column(default=dict)
    step: Mapped[int] = mapped_column(default=0)
    total_steps: Mapped[int] = mapped_column(default=0)
    epoch: Mapped[int] = mapped_column(default=0)
    loss: Mapped[list[Any]] = mapped_column(default=list)
    """``[[step, loss], …]`` in step order."""
    eta_seconds: Mapped[float | None]
    best_epoch: Mapped[int | None]
    trained_since: Mapped[datetime | None]
    steps_since: Mapped[int] = mapped_column(default=0)
    """The step count when ``trained_since`` was set (the ETA measures this attempt's pace only)."""
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class LoraEpoch(Timestamps, Base):
    """A finished epoch: its LoRA file, mean loss, sample renders and their consistency score."""

    __tablename__ = "lora_epochs"
    __table_args__ = (UniqueConstraint("training_id", "epoch"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("lora_trainings.id", ondelete="CASCADE"), index=True)
    epoch: Mapped[int]
    path: Mapped[str] = mapped_column(Text)
    loss: Mapped[float | None]
    steps: Mapped[int] = mapped_column(default=0)
    score: Mapped[float | None]
    """Mean consistency of the samples with the character's checklist, 0..1 (None until reviewed)."""
    samples: Mapped[list[Any]] = mapped_column(default=list)
    """``[{"index", "seed", "prompt", "path", "score", "issues"}, …]``."""


class LoraVersion(Timestamps, Base):
    """A promoted epoch: the file generation loads for the character (one active version per character)."""

    __tablename__ = "lora_versions"
    __table_args__ = (UniqueConstraint("character_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    training_id: Mapped[int | None] = mapped_column(ForeignKey("lora_trainings.id", ondelete="SET NULL"))
    epoch_id: Mapped[int | None] = mapped_column(ForeignKey("lora_epochs.id", ondelete="SET NULL"))
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(160))
    epoch: Mapped[int]
    path: Mapped[str] = mapped_column(Text)
    trigger_word: Mapped[str] = mapped_column(String(64))
    score: Mapped[float | None]
    active: Mapped[bool] = mapped_column(default=False)
    promoted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
