"""The ``voice_samples`` table: one normalised WAV per uploaded recording of a character's voice."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class VoiceSample(Timestamps, Base):
    __tablename__ = "voice_samples"

    id: Mapped[int] = mapped_column(primary_key=True)
    character_id: Mapped[int] = mapped_column(ForeignKey("characters.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(ForeignKey("assets.id", ondelete="CASCADE"), unique=True)
    filename: Mapped[str] = mapped_column(String(120))
    duration: Mapped[float]
    transcript: Mapped[str] = mapped_column(Text, default="")
    transcript_engine: Mapped[str] = mapped_column(String(64), default="")
