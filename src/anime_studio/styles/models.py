"""Generation styles: the project-level single source of truth for every generation parameter."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class GenerationStyle(Timestamps, Base):
    __tablename__ = "generation_styles"
    __table_args__ = (
        CheckConstraint("width BETWEEN 64 AND 8192 AND height BETWEEN 64 AND 8192", name="resolution"),
        CheckConstraint("steps BETWEEN 1 AND 200", name="steps"),
        CheckConstraint("fps BETWEEN 1 AND 120", name="fps"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    checkpoint_model: Mapped[str] = mapped_column(String(255))
    cfg_scale: Mapped[float]
    steps: Mapped[int]
    sampler: Mapped[str] = mapped_column(String(64))
    scheduler: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    fps: Mapped[int] = mapped_column(default=24)
    lora_strength: Mapped[float] = mapped_column(default=0.8, server_default="0.8")
    """How strongly a character's promoted LoRA shapes its pictures (model and CLIP alike)."""
    positive_prompt_template: Mapped[str] = mapped_column(Text, default="")
    negative_prompt_template: Mapped[str] = mapped_column(Text, default="")
