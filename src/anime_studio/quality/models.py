"""Quality gates: thresholds stored in the database (spec "Quality Gates")."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps

DEFAULT_GATES: dict[str, tuple[float, str]] = {
    "auto_approve": (0.8, "human images at or above this score (and solo) are approved automatically"),
    "auto_reject": (0.4, "images below this score are rejected automatically"),
    "scene_shot_minimum": (0.4, "a shot whose best attempt scores below this is flagged low quality"),
    "shot_gate_1": (0.6, "first attempt of a shot passes at this score"),
    "shot_gate_2": (0.45, "second attempt (new seed, more steps) passes at this score"),
    "shot_gate_3": (0.3, "third and last attempt passes at this score"),
}


class QualityGate(Timestamps, Base):
    __tablename__ = "quality_gates"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[float]
    description: Mapped[str] = mapped_column(Text, default="")
