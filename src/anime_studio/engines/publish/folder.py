"""Publish episodes into a Jellyfin/Kodi library folder: layout, NFOs, images, subtitles — atomically."""

from __future__ import annotations

import asyncio
import contextlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.publish import atomic, images, nfo
from anime_studio.engines.publish.base import EpisodePublication, PublishResult
from anime_studio.engines.publish.naming import SUBTITLE_SUFFIXES, EpisodeLayout, belongs_to_episode, episode_layout
from anime_studio.media.probe import probe


@dataclass
class _Plan:
    """Every file to write, in order; the video is always last so it appears only when all else is there."""

    layout: EpisodeLayout
    writes: list[tuple[Path, Callable[[], object]]] = field(default_factory=list)

    def add(self, path: Path, write: Callable[[], object]) -> None:
        self.writes.append((path, write))


class FolderPublisher:
    """``{library}/{Series}/Season NN/{Series} SNNEMM - {Title}.mp4`` plus ``tvshow.nfo``, posters, thumbs, NFOs."""

    name = "folder"

    def __init__(self, library: Path) -> None:
        self.library = library.resolve()

    async def publish(self, publication: EpisodePublication) -> PublishResult:
        """Place the episode; a re-publish of the same S/E replaces every older file of it."""
        source = publication.video_path
        if not source.is_file():
            raise EngineError(f"episode video not found: {source}")
        layout = episode_layout(
            self.library,
            publication.series_title,
            publication.season,
            publication.episode,
            publication.title,
            source.suffix,
        )
        plan = await self._plan(publication, layout)
        written = await asyncio.to_thread(self._write, plan, publication)
        detail = f"published {layout.video.relative_to(self.library)}"
        return PublishResult(video_path=layout.video, files=written, detail=detail)

    async def _plan(self, publication: EpisodePublication, layout: EpisodeLayout) -> _Plan:
        info = await asyncio.to_thread(_probe, publication.video_path)
        plan = _Plan(layout)
        show = nfo.tvshow_nfo(
            title=publication.series_title.strip() or layout.series_dir.name,
            plot=publication.series_description,
            genre=publication.genre,
            rating=publication.content_rating,
        )
        plan.add(layout.tvshow_nfo, lambda: atomic.write_bytes(layout.tvshow_nfo, show))
        thumb = await self._thumb(publication, info)
        poster = await self._poster(publication, layout)
        if poster is not None:
            plan.add(layout.poster, lambda: atomic.write_bytes(layout.poster, poster))
        for language, path in sorted(publication.subtitle_paths.items()):
            self._add_subtitle(plan, language, path)
        if thumb is not None:
            plan.add(layout.thumb, lambda: atomic.write_bytes(layout.thumb, thumb))
        episode = nfo.episode_nfo(
            title=publication.title.strip() or f"Episode {publication.episode}",
            show_title=publication.series_title.strip(),
            season=publication.season,
            episode=publication.episode,
            plot=publication.description,
            aired=publication.aired,
            runtime_minutes=max(1, math.ceil(info / 60)) if info else 0,
            versions=publication.versions,
        )
        plan.add(layout.nfo, lambda: atomic.write_bytes(layout.nfo, episode))
        plan.add(layout.video, lambda: atomic.place_file(publication.video_path, layout.video))
        return plan

    def _add_subtitle(self, plan: _Plan, language: str, source: Path) -> None:
        suffix = source.suffix.lower()
        if suffix not in SUBTITLE_SUFFIXES or not source.is_file():
            raise EngineError(f"subtitle {source.name} must be an existing {'/'.join(SUBTITLE_SUFFIXES)} file")
        target = plan.layout.subtitle(language, suffix)
        data = source.read_bytes()
        plan.add(target, lambda: atomic.write_bytes(target, data))

    async def _thumb(self, publication: EpisodePublication, duration: float) -> bytes | None:
        if publication.thumbnail_path is not None:
            return await asyncio.to_thread(images.jpeg_from, publication.thumbnail_path)
        # No thumbnail given: a frame a third of the way in is rarely a black fade.
        return await images.frame_from_video(publication.video_path, duration / 3 if duration else 0.0)

    async def _poster(self, publication: EpisodePublication, layout: EpisodeLayout) -> bytes | None:
        if publication.poster_path is not None:
            return await asyncio.to_thread(images.jpeg_from, publication.poster_path, poster=True)
        if layout.poster.exists():
            return None  # keep the series poster an earlier episode (or the user) put there
        source = publication.thumbnail_path
        if source is not None:
            return await asyncio.to_thread(images.jpeg_from, source, poster=True)
        return None

    def _write(self, plan: _Plan, publication: EpisodePublication) -> list[Path]:
        """Under the library's lock: sweep what a killed publish left, write the plan, drop older files of the S/E."""
        self.library.mkdir(parents=True, exist_ok=True)
        with atomic.exclusive(self.library):
            series = plan.layout.series_dir
            for folder in [series, *(sorted(series.iterdir()) if series.is_dir() else [])]:
                if folder.is_dir():
                    atomic.sweep(folder)
            written = self._commit(plan)
            self._remove_stale(plan.layout, publication, set(written))
        return written

    def _commit(self, plan: _Plan) -> list[Path]:
        """Write every file in order; on failure remove the files and folders this attempt created."""
        folders = [plan.layout.series_dir, plan.layout.season_dir]
        new_folders = [folder for folder in folders if not folder.exists()]
        plan.layout.season_dir.mkdir(parents=True, exist_ok=True)
        written: list[Path] = []
        created: list[Path] = []
        try:
            for path, write in plan.writes:
                existed = path.exists()
                write()
                written.append(path)
                if not existed:
                    created.append(path)
        except BaseException:
            for path in created:
                path.unlink(missing_ok=True)
            for folder in reversed(new_folders):  # replaced files stay whole; only empty new folders go
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        return written

    def _remove_stale(self, layout: EpisodeLayout, publication: EpisodePublication, keep: set[Path]) -> None:
        """Delete older files of the same S/E (another title, another subtitle set, leftover temp files)."""
        for path in layout.season_dir.iterdir():
            if path in keep or not path.is_file():
                continue
            if belongs_to_episode(path.name, publication.season, publication.episode):
                path.unlink(missing_ok=True)

    async def status(self) -> EngineStatus:
        """Whether the library folder exists (or can be created) and is writable."""
        return await asyncio.to_thread(self._status)

    def _status(self) -> EngineStatus:
        try:
            self.library.mkdir(parents=True, exist_ok=True)
            probe_file = self.library / ".anime-studio-write-test"
            probe_file.write_bytes(b"")
            probe_file.unlink()
        except OSError as error:
            return EngineStatus(
                kind="publish", name=self.name, reachable=False, detail=f"library not writable: {error}"
            )
        series = sorted(p.name for p in self.library.iterdir() if p.is_dir() and not p.name.startswith("."))
        return EngineStatus(
            kind="publish",
            name=self.name,
            reachable=True,
            detail=f"library at {self.library}",
            extra={"library": str(self.library), "series": series},
        )


def _probe(path: Path) -> float:
    """The video's duration in seconds (0 when unknown); a file PyAV cannot read is refused."""
    try:
        return probe(path).duration
    except ValueError as error:
        raise EngineError(str(error)) from error
