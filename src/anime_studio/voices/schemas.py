"""Voice sample payloads."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import MAX_DB_INT


class VoiceRead(BaseModel):
    id: int
    character_id: int
    asset_id: int
    filename: str
    duration: float
    transcript: str
    transcript_engine: str
    file_url: str = Field(description="the normalised WAV (mono, 16-bit, 24 kHz), for preview")
    created_at: datetime


class TranscriptUpdate(RequestModel):
    transcript: str = Field(max_length=5000)


class DialogueFromVoice(RequestModel):
    shot_id: int = Field(ge=1, le=MAX_DB_INT)
    text: str | None = Field(
        default=None, max_length=5000, description="the line to use; the sample's transcript when omitted"
    )
