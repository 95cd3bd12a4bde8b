"""An uploaded music track for a scene: streamed to disk, decoded as audio, stored, registered, replacing the old."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from fastapi import UploadFile
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind
from anime_studio.errors import Invalid
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import decodable_audio
from anime_studio.media.uploads import copy_capped, spooled, upload_name
from anime_studio.projects.models import Project
from anime_studio.scenes.models import Scene
from anime_studio.scenes.schemas import MusicSettings

AUDIO_SUFFIXES = {".wav", ".mp3", ".ogg", ".flac", ".m4a", ".aac", ".opus"}
MAX_BYTES = 100 * 1024 * 1024
ASSIGNED_PREFIX = "assigned_"


async def save_upload(
    *, session: AsyncSession, paths: MediaPaths, scene: Scene, upload: UploadFile, settings: MusicSettings
) -> None:
    """Store the upload as the scene's assigned track (refuses files that are not decodable audio)."""
    name = upload_name(upload, default="track.wav")
    suffix = Path(name).suffix.lower()
    if suffix not in AUDIO_SUFFIXES:
        raise Invalid(f"unsupported audio type {suffix or '(none)'}; use one of {', '.join(sorted(AUDIO_SUFFIXES))}")
    project = await session.get(Project, scene.project_id)
    assert project is not None
    folder = paths.scene_dir(project.slug, scene.id)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(name).stem).strip("-")[:50] or "track"
    target = folder / f"{ASSIGNED_PREFIX}{stem}{suffix}"
    with spooled(folder) as temporary:
        await copy_capped(upload, temporary, max_bytes=MAX_BYTES, what="music")
        try:
            info = await asyncio.to_thread(decodable_audio, temporary, name=name)
        except ValueError as error:
            raise Invalid(str(error)) from error
        temporary.replace(target)
    previous = paths.inside(scene.music_path) if scene.music_path else None
    await assets.record(
        session=session,
        paths=paths,
        file=target,
        project_id=scene.project_id,
        kind=AssetKind.audio,
        duration=info.duration,
        scene_id=scene.id,
        provenance={"source": "upload", "filename": name},
    )
    scene.music_path, scene.music = paths.relative(target), settings.model_dump()
    if previous is not None and previous != target:
        await forget_replaced(session=session, paths=paths, file=previous)


async def forget_replaced(*, session: AsyncSession, paths: MediaPaths, file: Path) -> None:
    """Delete a replaced uploaded track and its asset row, unless another scene still plays it.

    Generated music and tracks attached from the library are not ``assigned_*`` files: they stay.
    """
    relative = paths.relative(file)
    if not file.name.startswith(ASSIGNED_PREFIX) or await session.scalar(
        select(Scene.id).where(Scene.music_path == relative).limit(1)
    ):
        return
    await session.execute(delete(Asset).where(Asset.path == relative))
    await asyncio.to_thread(file.unlink, missing_ok=True)
