"""Compose through the library: a request already rendered is found, never rendered again.

Concurrent identical requests (two scenes, two workers) serialise on a PostgreSQL advisory lock taken on the
request's key, so the second waits for the first and then finds its track.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
import os
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert

from anime_studio.db.session import Database
from anime_studio.engines.base import Progress
from anime_studio.engines.music.base import MusicEngine, MusicRequest
from anime_studio.media.paths import MediaPaths
from anime_studio.music.models import MusicTrack, TrackSource


@dataclass(frozen=True)
class TrackRequest:
    mood: str
    duration: float
    seed: int = 0
    prompt: str = ""
    lyrics: str = ""
    fade_in: float = 1.0
    fade_out: float = 2.0

    def key(self, engine: MusicEngine) -> str:
        identity = {
            "engine": engine.name,
            "model": engine.model,
            "mood": self.mood.strip().lower(),
            "prompt": self.prompt.strip(),
            "lyrics": self.lyrics.strip(),
            "duration": round(self.duration, 3),
            "seed": self.seed,
            "fades": [round(self.fade_in, 3), round(self.fade_out, 3)],
        }
        return hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()


def folder(paths: MediaPaths) -> Path:
    return paths.root / "music" / "library"


async def find(db: Database, key: str, paths: MediaPaths) -> MusicTrack | None:
    """The track stored under ``key`` whose file is still there."""
    async with db.transaction() as session:
        track = await session.scalar(select(MusicTrack).where(MusicTrack.key == key))
    if track is None or not paths.inside(track.path).is_file():
        return None
    return track


async def compose(
    *, db: Database, paths: MediaPaths, engine: MusicEngine, request: TrackRequest, progress: Progress | None = None
) -> MusicTrack:
    """The library's track for ``request``, rendered by ``engine`` only if the library lacks it."""
    key = request.key(engine)
    track = await find(db, key, paths)
    if track is not None:
        return track
    async with _key_lock(db, key):
        track = await find(db, key, paths)
        if track is not None:
            return track
        target = folder(paths) / f"{key[:24]}.wav"
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        music = MusicRequest(
            mood=request.mood,
            duration=request.duration,
            output_path=partial,
            seed=request.seed,
            prompt=request.prompt,
            lyrics=request.lyrics,
            fade_in=request.fade_in,
            fade_out=request.fade_out,
        )
        try:
            result = await engine.compose(music, progress=progress)
            partial.replace(target)
        finally:
            partial.unlink(missing_ok=True)
        caption = str(result.parameters.get("caption", request.prompt))
        values = {
            "key": key,
            "source": TrackSource.composed,
            "title": f"{request.mood} · {request.duration:.0f} s · seed {request.seed}",
            "engine": engine.name,
            "model": engine.model,
            "mood": request.mood,
            "caption": caption,
            "lyrics": request.lyrics,
            "seed": request.seed,
            "duration": result.duration,
            "path": paths.relative(target),
            "size_bytes": target.stat().st_size,
            "credits": {},
        }
        return await store(db, values)


async def store(db: Database, values: dict[str, object]) -> MusicTrack:
    """Insert the track, or refresh the row of the same key (its file had gone and was made again)."""
    async with db.transaction() as session:
        statement = insert(MusicTrack).values(**values)
        update = {k: statement.excluded[k] for k in values if k != "key"}
        upsert = statement.on_conflict_do_update(index_elements=[MusicTrack.key], set_=update).returning(MusicTrack)
        row: MusicTrack = (await session.scalars(upsert)).one()
        return row


@contextlib.asynccontextmanager
async def _key_lock(db: Database, key: str) -> AsyncIterator[None]:
    """A session-level advisory lock on its own connection: held for the render's minutes, no transaction open."""
    number = int.from_bytes(bytes.fromhex(key[:16]), "big", signed=True)
    async with db.engine.connect() as connection:
        await connection.execute(text("SELECT pg_advisory_lock(:n)"), {"n": number})
        await connection.commit()
        try:
            yield
        finally:
            await connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
            await connection.commit()


async def place(source: Path, target: Path) -> Path:
    """Put a library file at ``target`` (a scene's folder): a hard link where the filesystem allows, else a copy."""

    def link() -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f".{target.name}.part")
        partial.unlink(missing_ok=True)
        try:
            os.link(source, partial)
        except OSError:
            shutil.copyfile(source, partial)
        partial.replace(target)

    await asyncio.to_thread(link)
    return target
