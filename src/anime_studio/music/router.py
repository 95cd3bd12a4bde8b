"""The music library: browse and preview tracks, upload, Apple Music search and previews, assign to scenes."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, UploadFile, status
from fastapi.responses import FileResponse

from anime_studio.common.pagination import Page
from anime_studio.deps import (
    CurrentUser,
    DatabaseDep,
    EditorUser,
    ItemId,
    Limit,
    Offset,
    PathsDep,
    SessionDep,
    SettingsDep,
)
from anime_studio.errors import NotFound
from anime_studio.music import service
from anime_studio.music.itunes import ITunes
from anime_studio.music.models import MusicTrack, TrackSource
from anime_studio.music.schemas import AddAppleSong, AppleSongRead, Assigned, AssignTrack, TrackRead
from anime_studio.scenes.schemas import MusicSettings

router = APIRouter(tags=["music"])


def _read(request: Request, track: MusicTrack) -> TrackRead:
    root = request.scope.get("root_path", "")
    return TrackRead(
        id=track.id,
        source=track.source,
        title=track.title,
        engine=track.engine,
        model=track.model,
        mood=track.mood,
        caption=track.caption,
        lyrics=track.lyrics,
        seed=track.seed,
        duration=track.duration,
        size_bytes=track.size_bytes,
        credits=track.credits,
        file_url=f"{root}/api/lora/music/tracks/{track.id}/file?v={track.key[-12:]}",
        created_at=track.created_at,
    )


@router.get("/music/tracks", response_model=Page[TrackRead])
async def browse_tracks(
    request: Request,
    _: CurrentUser,
    session: SessionDep,
    source: TrackSource | None = None,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[TrackRead]:
    """Every composed, uploaded and Apple Music track, newest first."""
    items, total = await service.browse(session=session, source=source, query=q, limit=limit, offset=offset)
    return Page(items=[_read(request, t) for t in items], total=total, limit=limit, offset=offset)


@router.get("/music/tracks/{track_id}/file", response_class=FileResponse)
async def track_file(track_id: ItemId, _: CurrentUser, session: SessionDep, paths: PathsDep) -> FileResponse:
    """The track's audio, for preview."""
    track = await service.get(session=session, track_id=track_id)
    path = paths.inside(track.path)
    if not path.is_file():
        raise NotFound(f"the file of music track {track_id} is missing")
    media = "audio/mp4" if path.suffix == ".m4a" else None
    return FileResponse(path, media_type=media, content_disposition_type="inline")


@router.post("/music/tracks", response_model=TrackRead, status_code=status.HTTP_201_CREATED)
async def upload_track(
    file: UploadFile, request: Request, _: EditorUser, db: DatabaseDep, paths: PathsDep
) -> TrackRead:
    """Add a track to the library (WAV/MP3/OGG/FLAC/M4A/AAC/Opus, ≤ 100 MB); the same file is stored once."""
    return _read(request, await service.upload(db=db, paths=paths, file=file))


@router.get("/music/apple/search", response_model=list[AppleSongRead])
async def apple_search(
    term: Annotated[str, Query(min_length=1, max_length=200)],
    _: CurrentUser,
    settings: SettingsDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 20,
) -> list[AppleSongRead]:
    """Songs on Apple Music (iTunes Search API) that have a 30 s preview."""
    songs = await ITunes(settings).search(term, limit=limit)
    return [AppleSongRead.model_validate(song, from_attributes=True) for song in songs]


@router.post("/music/apple", response_model=TrackRead, status_code=status.HTTP_201_CREATED)
async def apple_add(
    body: AddAppleSong, request: Request, _: EditorUser, db: DatabaseDep, paths: PathsDep, settings: SettingsDep
) -> TrackRead:
    """Download the song's 30 s preview into the library with its credits (once per song)."""
    track = await service.add_apple(db=db, paths=paths, itunes=ITunes(settings), track_id=body.track_id)
    return _read(request, track)


@router.post("/music/tracks/{track_id}/assign", response_model=Assigned)
async def assign_track(
    track_id: ItemId, body: AssignTrack, _: EditorUser, session: SessionDep, paths: PathsDep
) -> Assigned:
    """Use the track as the scene's music (replaces an uploaded or composed track)."""
    track = await service.get(session=session, track_id=track_id)
    settings = MusicSettings(**body.model_dump(exclude={"scene_id"}))
    scene = await service.assign(session=session, paths=paths, track=track, scene_id=body.scene_id, settings=settings)
    assert scene.music_path is not None
    return Assigned(scene_id=scene.id, track_id=track.id, music_path=scene.music_path)
