"""Music library payloads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId
from anime_studio.music.models import TrackSource
from anime_studio.scenes.schemas import MusicSettings


class TrackRead(BaseModel):
    id: int
    source: TrackSource
    title: str
    engine: str
    model: str
    mood: str
    caption: str
    lyrics: str
    seed: int
    duration: float
    size_bytes: int
    credits: dict[str, Any] = Field(description="Apple Music attribution (track, artist, album, artwork, links)")
    file_url: str
    created_at: datetime


class AppleSongRead(BaseModel):
    track_id: int
    track: str
    artist: str
    album: str
    artwork_url: str
    track_view_url: str
    preview_url: str
    duration: float


class AddAppleSong(RequestModel):
    track_id: int = Field(ge=1, le=2**53)


class AssignTrack(MusicSettings):
    scene_id: DbId


class Assigned(BaseModel):
    scene_id: int
    track_id: int
    music_path: str
