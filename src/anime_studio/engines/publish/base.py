"""The publisher protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Protocol

from anime_studio.engines.base import EngineStatus


@dataclass(frozen=True)
class EpisodePublication:
    series_title: str
    season: int
    episode: int
    title: str
    video_path: Path
    description: str = ""
    series_description: str = ""
    genre: str = ""
    content_rating: str = ""
    aired: date | None = None
    thumbnail_path: Path | None = None
    poster_path: Path | None = None
    subtitle_paths: dict[str, Path] = field(default_factory=dict)
    """language code (``en``) → .srt/.vtt file to place beside the video."""
    versions: tuple[str, ...] = ()
    """The reviewed versions the video is cut from, one line each (written into the NFO)."""


@dataclass(frozen=True)
class PublishResult:
    video_path: Path
    files: list[Path]
    library_refreshed: bool = False
    detail: str = ""


class Publisher(Protocol):
    name: str

    async def publish(self, publication: EpisodePublication) -> PublishResult:
        """Place the episode in the library atomically; re-publishing replaces it cleanly."""
        ...

    async def status(self) -> EngineStatus: ...
