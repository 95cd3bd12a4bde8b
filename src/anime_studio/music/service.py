"""The library's tracks: browse, upload, add an Apple Music preview, assign to a scene."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path
from typing import Any

from fastapi import UploadFile
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.db.session import Database
from anime_studio.errors import Invalid, NotFound
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import decodable_audio
from anime_studio.media.uploads import copy_capped, spooled, upload_name
from anime_studio.music import library
from anime_studio.music.itunes import ITunes
from anime_studio.music.models import MusicTrack, TrackSource
from anime_studio.projects.models import Project
from anime_studio.scenes.models import Scene
from anime_studio.scenes.music import AUDIO_SUFFIXES, MAX_BYTES, forget_replaced
from anime_studio.scenes.schemas import MusicSettings


async def get(*, session: AsyncSession, track_id: int) -> MusicTrack:
    track = await session.get(MusicTrack, track_id)
    if track is None:
        raise NotFound(f"music track {track_id} not found")
    return track


async def browse(
    *, session: AsyncSession, source: TrackSource | None, query: str, limit: int, offset: int
) -> tuple[list[MusicTrack], int]:
    """Newest first; ``query`` matches title, mood, caption, artist or album."""
    where = []
    if source is not None:
        where.append(MusicTrack.source == source)
    if query.strip():
        pattern = f"%{query.strip()}%"
        where.append(
            or_(
                MusicTrack.title.ilike(pattern),
                MusicTrack.mood.ilike(pattern),
                MusicTrack.caption.ilike(pattern),
                MusicTrack.credits["artist"].astext.ilike(pattern),
                MusicTrack.credits["album"].astext.ilike(pattern),
            )
        )
    total = await session.scalar(select(func.count()).select_from(MusicTrack).where(*where)) or 0
    rows = await session.scalars(
        select(MusicTrack)
        .where(*where)
        .order_by(MusicTrack.created_at.desc(), MusicTrack.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


async def upload(*, db: Database, paths: MediaPaths, file: UploadFile) -> MusicTrack:
    """Store an uploaded track once (keyed by its bytes): uploading it again finds the same track."""
    name = upload_name(file, default="track.wav")
    suffix = Path(name).suffix.lower()
    if suffix not in AUDIO_SUFFIXES:
        raise Invalid(f"unsupported audio type {suffix or '(none)'}; use one of {', '.join(sorted(AUDIO_SUFFIXES))}")
    folder = library.folder(paths)
    with spooled(folder) as temporary:
        if await copy_capped(file, temporary, max_bytes=MAX_BYTES, what="music") == 0:
            raise Invalid(f"{name} is empty")
        try:
            info = await asyncio.to_thread(decodable_audio, temporary, name=name)
        except ValueError as error:
            raise Invalid(str(error)) from error
        digest = await asyncio.to_thread(_digest, temporary)
        existing = await library.find(db, f"upload:{digest}", paths)
        if existing is not None:
            return existing
        target = folder / f"upload_{digest[:24]}{suffix}"
        temporary.replace(target)
    values: dict[str, object] = {
        "key": f"upload:{digest}",
        "source": TrackSource.upload,
        "title": Path(name).stem[:300],
        "duration": info.duration,
        "path": paths.relative(target),
        "size_bytes": target.stat().st_size,
        "credits": {"filename": name},
    }
    return await library.store(db, values)


async def add_apple(*, db: Database, paths: MediaPaths, itunes: ITunes, track_id: int) -> MusicTrack:
    """Look the song up, download its 30 s preview into the library (once) and keep its credits."""
    key = f"apple:{track_id}"
    existing = await library.find(db, key, paths)
    if existing is not None:
        return existing
    song = await itunes.lookup(track_id)
    folder = library.folder(paths)
    with spooled(folder) as temporary:
        await itunes.download_preview(song, temporary)
        try:
            info = await asyncio.to_thread(decodable_audio, temporary, name=f"the preview of {song.track!r}")
        except ValueError as error:
            raise Invalid(str(error)) from error
        target = folder / f"apple_{track_id}.m4a"
        temporary.replace(target)
    values: dict[str, object] = {
        "key": key,
        "source": TrackSource.apple,
        "title": f"{song.track} — {song.artist}"[:300],
        "duration": info.duration,
        "path": paths.relative(target),
        "size_bytes": target.stat().st_size,
        "credits": song.credits(),
    }
    return await library.store(db, values)


async def assign(
    *, session: AsyncSession, paths: MediaPaths, track: MusicTrack, scene_id: int, settings: MusicSettings
) -> Scene:
    """Make the track the scene's music: a link in the scene's folder, registered as the project's audio asset."""
    scene = await session.get(Scene, scene_id)
    if scene is None:
        raise NotFound(f"scene {scene_id} not found")
    project = await session.get(Project, scene.project_id)
    assert project is not None
    source = paths.inside(track.path)
    if not source.is_file():
        raise Invalid(f"the file of music track {track.id} is missing; compose or upload it again")
    target = paths.scene_dir(project.slug, scene.id) / f"library_{track.id}{source.suffix}"
    await library.place(source, target)
    previous = paths.inside(scene.music_path) if scene.music_path else None
    provenance: dict[str, Any] = {"source": "music library", "track_id": track.id, "track_source": track.source}
    if track.credits:
        provenance["credits"] = track.credits
    await assets.record(
        session=session,
        paths=paths,
        file=target,
        project_id=project.id,
        kind=AssetKind.audio,
        duration=track.duration,
        scene_id=scene.id,
        provenance=provenance,
    )
    scene.music_path, scene.music = paths.relative(target), settings.model_dump()
    if previous is not None and previous != target:
        await forget_replaced(session=session, paths=paths, file=previous)
    await session.flush()
    return scene


def _digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()
