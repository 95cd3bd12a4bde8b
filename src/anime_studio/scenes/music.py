"""An uploaded music track for a scene: validated as audio, stored in the scene's folder, registered."""

from __future__ import annotations

import asyncio
import re

from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.datasets.files import write_atomic
from anime_studio.errors import Invalid, PayloadTooLarge
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import probe
from anime_studio.projects.models import Project
from anime_studio.scenes.models import Scene
from anime_studio.scenes.schemas import MusicSettings

AUDIO_SUFFIXES = {".wav", ".mp3", ".ogg", ".flac", ".m4a", ".aac", ".opus"}
MAX_BYTES = 100 * 1024 * 1024


async def save_upload(
    *, session: AsyncSession, paths: MediaPaths, scene: Scene, upload: UploadFile, settings: MusicSettings
) -> None:
    """Store the upload as the scene's assigned track (refuses files that are not audio)."""
    name = upload.filename or "track.wav"
    suffix = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if suffix not in AUDIO_SUFFIXES:
        raise Invalid(f"unsupported audio type {suffix or '(none)'}; use one of {', '.join(sorted(AUDIO_SUFFIXES))}")
    data = await upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge("music uploads are limited to 100 MB")
    project = await session.get(Project, scene.project_id)
    assert project is not None
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name.rsplit(".", 1)[0]).strip("-")[:50] or "track"
    target = paths.scene_dir(project.slug, scene.id) / f"assigned_{stem}{suffix}"
    await asyncio.to_thread(write_atomic, target, data)
    try:
        info = await asyncio.to_thread(probe, target)
    except ValueError as error:
        target.unlink(missing_ok=True)
        raise Invalid(f"the upload is not a readable audio file: {error}") from error
    if not info.has_audio:
        target.unlink(missing_ok=True)
        raise Invalid("the upload has no audio stream")
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
