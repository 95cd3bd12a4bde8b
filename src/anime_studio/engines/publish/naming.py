"""Jellyfin/Kodi file names for a published episode, built so that no title can escape the library."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from anime_studio.engines.base import EngineError

_RESERVED = re.compile(r'[<>:"/\\|?*]')
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
MAX_NAME_BYTES = 120
"""Per name part (series folder, episode title)."""
MAX_STEM_BYTES = 200
"""Whole file stem: + ``.pt-BR.srt`` / ``-thumb.jpg`` + the temp suffix stays below the 255-byte limit."""
VIDEO_SUFFIXES = (".mp4", ".mkv", ".webm", ".mov", ".m4v")
SUBTITLE_SUFFIXES = (".srt", ".vtt", ".ass")


def clean_name(value: str, fallback: str) -> str:
    """A safe single path segment: reserved and control characters gone, whitespace collapsed, no dots games."""
    text = unicodedata.normalize("NFC", value)
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" and c != " " else c for c in text)
    text = _RESERVED.sub(" ", text)
    text = re.sub(r"\.{2,}", ".", text)
    text = " ".join(text.split()).strip(" .")
    text = _limit_bytes(text, MAX_NAME_BYTES).strip(" .")
    return text or fallback


def _limit_bytes(text: str, limit: int) -> str:
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(errors="ignore")


def language_code(value: str) -> str:
    """A subtitle language tag (``en``, ``ja``, ``pt-BR``); ``EngineError`` for anything else."""
    if not _LANG.match(value.strip()):
        raise EngineError(f"invalid subtitle language code: {value!r}")
    return value.strip().replace("_", "-")


@dataclass(frozen=True)
class EpisodeLayout:
    """Where every file of one episode goes."""

    library: Path
    series_dir: Path
    season_dir: Path
    stem: str
    video_suffix: str

    @property
    def video(self) -> Path:
        return self.season_dir / f"{self.stem}{self.video_suffix}"

    @property
    def nfo(self) -> Path:
        return self.season_dir / f"{self.stem}.nfo"

    @property
    def thumb(self) -> Path:
        return self.season_dir / f"{self.stem}-thumb.jpg"

    @property
    def tvshow_nfo(self) -> Path:
        return self.series_dir / "tvshow.nfo"

    @property
    def poster(self) -> Path:
        return self.series_dir / "poster.jpg"

    def subtitle(self, language: str, suffix: str) -> Path:
        return self.season_dir / f"{self.stem}.{language_code(language)}{suffix}"


def episode_layout(
    library: Path, series: str, season: int, episode: int, title: str, source_suffix: str
) -> EpisodeLayout:
    """``{library}/{Series}/Season NN/{Series} SNNEMM - {Title}.mp4`` and its siblings, checked to stay inside."""
    if not 0 <= season <= 999 or not 0 <= episode <= 9999:
        raise EngineError(f"season/episode out of range: S{season}E{episode}")
    library = library.resolve()
    series_name = clean_name(series, "Untitled Series")
    episode_title = clean_name(title, "")
    code = episode_code(season, episode)
    stem = f"{series_name} {code}" + (f" - {episode_title}" if episode_title else "")
    stem = _limit_bytes(stem, MAX_STEM_BYTES).strip(" .")
    series_dir = library / series_name
    season_dir = series_dir / f"Season {season:02d}"
    suffix = source_suffix.lower() if source_suffix.lower() in VIDEO_SUFFIXES else ".mp4"
    layout = EpisodeLayout(library, series_dir, season_dir, stem, suffix)
    for path in (layout.video, layout.thumb, layout.tvshow_nfo):
        if not path.resolve().is_relative_to(library) or path.resolve().parent == library:
            raise EngineError(f"refusing to publish outside the library: {path}")
    return layout


def episode_code(season: int, episode: int) -> str:
    """``S01E02``."""
    return f"S{season:02d}E{episode:02d}"


def belongs_to_episode(name: str, season: int, episode: int) -> bool:
    """Whether a file name carries this S/E code (``S1E2``, ``S01E02``, ``S01E02-E03`` all count; ``S01E020`` not)."""
    pattern = rf"(?i)(?<![A-Za-z0-9])S0*{season}E0*{episode}(?!\d)"
    return re.search(pattern, name) is not None
