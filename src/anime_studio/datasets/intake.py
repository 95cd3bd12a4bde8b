"""Accept an ingestion request: stage and check the upload (4xx before any run), then queue the run."""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import UploadFile
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.datasets import download, frames, uploads
from anime_studio.errors import Invalid
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run
from anime_studio.media.paths import MediaPaths

MAX_FILES = 500


async def _queue(
    session: AsyncSession, paths: MediaPaths, character_id: int, user: tuple[int, str], label: str, **params: Any
) -> Run:
    character = await characters.get(session=session, character_id=character_id)
    return await jobs.enqueue(
        session=session,
        kind="dataset.ingest",
        params={"character_id": character.id, "user": user[1], **params},
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user[0],
        label=f"{character.name}: {label}",
    )


async def images(
    *, session: AsyncSession, paths: MediaPaths, character_id: int, files: list[UploadFile], user: tuple[int, str]
) -> Run:
    """Images (many files, or zips of images); the whole request is refused if any file is not acceptable."""
    await characters.get(session=session, character_id=character_id)
    if not files or len(files) > MAX_FILES:
        raise Invalid(f"send between 1 and {MAX_FILES} files")
    staging = uploads.new_staging(paths.uploads())
    try:
        budget = uploads.MAX_IMAGES_BYTES
        for index, upload in enumerate(files):
            budget = await uploads.stage(upload, staging, index, budget=budget)
        count = await asyncio.to_thread(uploads.check_staged, staging)
        return await _queue(
            session, paths, character_id, user, f"ingest {count} image(s)", source="upload",
            staging=paths.relative(staging),
        )  # fmt: skip
    except BaseException:
        uploads.discard(staging)
        raise


async def video(
    *,
    session: AsyncSession,
    paths: MediaPaths,
    character_id: int,
    file: UploadFile,
    every: float,
    user: tuple[int, str],
) -> Run:
    """A video file: frames at scene cuts and every ``every`` seconds become candidates."""
    await characters.get(session=session, character_id=character_id)
    staging = uploads.new_staging(paths.uploads())
    try:
        await uploads.stage(file, staging, 0, budget=uploads.MAX_VIDEO_BYTES)
        (staged,) = list(staging.iterdir())
        seconds = await asyncio.to_thread(frames.video_duration, staged)
        return await _queue(
            session, paths, character_id, user, f"frames of a {seconds:.0f} s video", source="video",
            staging=paths.relative(staging), video=staged.name, file=file.filename or staged.name, every=every,
        )  # fmt: skip
    except BaseException:
        uploads.discard(staging)
        raise


async def link(
    *, session: AsyncSession, paths: MediaPaths, character_id: int, url: str, every: float, user: tuple[int, str]
) -> Run:
    """A video page or direct link (http/https only), downloaded by the run with yt-dlp."""
    url = download.check_url(url)
    await characters.get(session=session, character_id=character_id)
    staging = uploads.new_staging(paths.uploads())
    try:
        return await _queue(
            session, paths, character_id, user, "frames of a linked video", source="url",
            staging=paths.relative(staging), url=url, every=every,
        )  # fmt: skip
    except BaseException:
        uploads.discard(staging)
        raise


async def retriage(*, session: AsyncSession, character_id: int, user: tuple[int, str]) -> Run:
    """Review and triage the character's pending images again (new gates, another vision engine)."""
    character = await characters.get(session=session, character_id=character_id)
    return await jobs.enqueue(
        session=session,
        kind="dataset.triage",
        params={"character_id": character.id, "user": user[1]},
        project_id=character.project_id,
        subject_type="character",
        subject_id=character.id,
        user_id=user[0],
        label=f"{character.name}: review pending images",
    )
