"""The ``music_tracks`` table: one row per track file in the library, keyed by what made it."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import BigInteger, Enum, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from anime_studio.db.base import Base, Timestamps


class TrackSource(enum.StrEnum):
    composed = "composed"  # a music engine rendered it
    upload = "upload"  # a person uploaded it
    apple = "apple"  # an Apple Music 30 s preview


class MusicTrack(Timestamps, Base):
    __tablename__ = "music_tracks"
    __table_args__ = (Index("ix_music_tracks_feed", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    """sha256 of the request (engine, model, caption, lyrics, duration, seed, fades), the upload's bytes,
    or ``apple:{trackId}``: the same request finds its track instead of rendering again."""
    source: Mapped[TrackSource] = mapped_column(Enum(TrackSource, name="track_source", native_enum=False, length=16))
    title: Mapped[str] = mapped_column(String(300), default="")
    engine: Mapped[str] = mapped_column(String(32), default="")
    model: Mapped[str] = mapped_column(String(200), default="")
    mood: Mapped[str] = mapped_column(String(64), default="")
    caption: Mapped[str] = mapped_column(Text, default="")
    lyrics: Mapped[str] = mapped_column(Text, default="")
    seed: Mapped[int] = mapped_column(BigInteger, default=0)
    duration: Mapped[float]
    path: Mapped[str] = mapped_column(Text, unique=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    credits: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Apple Music attribution: track, artist, album, artwork, track view URL, preview URL."""
