"""``/api/lora/episodes``: the spec's episode endpoints, plus thumbnail, subtitles and OTIO exports."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Query, status
from fastapi.responses import FileResponse, Response

from anime_studio.common.types import MAX_DB_INT
from anime_studio.deps import CurrentUser, EditorUser, ItemId, PathsDep, SessionDep
from anime_studio.episodes import runs, service
from anime_studio.episodes.otio_export import episode_timeline
from anime_studio.episodes.schemas import (
    AddScene,
    AddScenePosition,
    EpisodeCreate,
    EpisodeDetail,
    EpisodeRead,
    EpisodeSceneRead,
    EpisodeUpdate,
    SceneOrder,
)
from anime_studio.errors import Invalid, NotFound
from anime_studio.jobs.schemas import RunRead
from anime_studio.media.paths import MediaPaths

router = APIRouter(tags=["episodes"])

ProjectQuery = Annotated[int, Query(ge=1, le=MAX_DB_INT)]


async def _detail(paths: MediaPaths, session: SessionDep, episode_id: int) -> EpisodeDetail:
    episode = await service.get(session=session, episode_id=episode_id)
    linked = await service.scenes_of(session=session, episode_id=episode_id)
    scenes = [
        EpisodeSceneRead(
            scene_id=scene.id,
            position=link.position,
            title=scene.title,
            status=scene.status,
            duration=scene.duration,
            has_video=bool(scene.output_path and paths.inside(scene.output_path).is_file()),
        )
        for link, scene in linked
    ]
    base = EpisodeRead.model_validate(episode).model_dump(exclude={"scene_count"})
    return EpisodeDetail(**base, scene_count=len(scenes), scenes=scenes)


@router.get("/episodes", response_model=list[EpisodeRead])
async def list_episodes(project_id: ProjectQuery, _: CurrentUser, session: SessionDep) -> list[EpisodeRead]:
    """The project's episodes by season and number, with scene counts."""
    rows = await service.list_for_project(session=session, project_id=project_id)
    return [EpisodeRead.model_validate(e).model_copy(update={"scene_count": c}) for e, c in rows]


@router.post("/episodes", response_model=EpisodeDetail, status_code=status.HTTP_201_CREATED)
async def create_episode(body: EpisodeCreate, paths: PathsDep, _: EditorUser, session: SessionDep) -> EpisodeDetail:
    """Create an episode (number, title, description, story arc)."""
    episode = await service.create(session=session, data=body)
    return await _detail(paths, session, episode.id)


@router.get("/episodes/{episode_id}", response_model=EpisodeDetail)
async def get_episode(episode_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> EpisodeDetail:
    """An episode with its scenes in order."""
    return await _detail(paths, session, episode_id)


@router.patch("/episodes/{episode_id}", response_model=EpisodeDetail)
async def update_episode(
    episode_id: ItemId, body: EpisodeUpdate, paths: PathsDep, _: EditorUser, session: SessionDep
) -> EpisodeDetail:
    """Change some fields of an episode."""
    episode = await service.get(session=session, episode_id=episode_id)
    await service.update_episode(session=session, episode=episode, data=body)
    return await _detail(paths, session, episode_id)


@router.delete("/episodes/{episode_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_episode(episode_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Delete an episode (its scenes and files are kept)."""
    await service.delete(session=session, episode=await service.get(session=session, episode_id=episode_id))


@router.post("/episodes/{episode_id}/scenes", response_model=EpisodeDetail)
async def add_scene(
    episode_id: ItemId, body: AddScene, paths: PathsDep, _: EditorUser, session: SessionDep
) -> EpisodeDetail:
    """Add a scene (``scene_id`` in the body) at ``position`` or at the end."""
    episode = await service.get(session=session, episode_id=episode_id)
    await service.add_scene(session=session, episode=episode, scene_id=body.scene_id, position=body.position)
    return await _detail(paths, session, episode_id)


@router.post("/episodes/{episode_id}/scenes/{scene_id}", response_model=EpisodeDetail)
async def add_scene_by_path(
    episode_id: ItemId,
    scene_id: ItemId,
    paths: PathsDep,
    _: EditorUser,
    session: SessionDep,
    body: AddScenePosition | None = None,
) -> EpisodeDetail:
    """Add a scene by path (the spec's form); optional ``position`` in the body."""
    episode = await service.get(session=session, episode_id=episode_id)
    position = body.position if body else None
    await service.add_scene(session=session, episode=episode, scene_id=scene_id, position=position)
    return await _detail(paths, session, episode_id)


@router.delete("/episodes/{episode_id}/scenes/{scene_id}", response_model=EpisodeDetail)
async def remove_scene(
    episode_id: ItemId, scene_id: ItemId, paths: PathsDep, _: EditorUser, session: SessionDep
) -> EpisodeDetail:
    """Take a scene out of the episode (later scenes move up)."""
    episode = await service.get(session=session, episode_id=episode_id)
    await service.remove_scene(session=session, episode=episode, scene_id=scene_id)
    return await _detail(paths, session, episode_id)


@router.put("/episodes/{episode_id}/reorder", response_model=EpisodeDetail)
async def reorder_scenes(
    episode_id: ItemId, body: SceneOrder, paths: PathsDep, _: EditorUser, session: SessionDep
) -> EpisodeDetail:
    """Set the scene order (drag and drop)."""
    episode = await service.get(session=session, episode_id=episode_id)
    await service.reorder(session=session, episode=episode, scene_order=body.scene_order)
    return await _detail(paths, session, episode_id)


@router.post("/episodes/{episode_id}/assemble", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def assemble_episode(episode_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Concat the scene videos (stream copy when compatible) with subtitles, and take a thumbnail."""
    episode = await service.get(session=session, episode_id=episode_id)
    if not await service.scenes_of(session=session, episode_id=episode_id):
        raise Invalid("the episode has no scenes: add scenes first")
    run = await runs.start(session=session, episode=episode, kind="episode.assemble", user_id=principal.user.id)
    return RunRead.model_validate(run)


@router.post("/episodes/{episode_id}/publish", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def publish_episode(
    episode_id: ItemId,
    paths: PathsDep,
    principal: EditorUser,
    session: SessionDep,
    season: Annotated[int | None, Query(ge=0, le=99)] = None,
) -> RunRead:
    """Publish to the media library (Jellyfin/Kodi layout, NFO, thumb, subtitles; library refresh)."""
    episode = await service.get(session=session, episode_id=episode_id)
    if not (episode.output_path and paths.inside(episode.output_path).is_file()):
        raise Invalid("assemble the episode before publishing it")
    params = {"season": season} if season is not None else {}
    run = await runs.start(
        session=session, episode=episode, kind="episode.publish", user_id=principal.user.id, **params
    )
    return RunRead.model_validate(run)


def _file(paths: MediaPaths, relative: str | None, media_type: str, what: str) -> FileResponse:
    path = paths.inside(relative) if relative else None
    if path is None or not path.is_file():
        raise NotFound(f"episode {what} not found: assemble the episode first")
    return FileResponse(path, media_type=media_type, filename=path.name, content_disposition_type="inline")


@router.get("/episodes/{episode_id}/video", response_class=FileResponse)
@router.head("/episodes/{episode_id}/video", include_in_schema=False)
async def episode_video(episode_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The assembled episode (MP4 with a subtitle track; Range requests)."""
    episode = await service.get(session=session, episode_id=episode_id)
    return _file(paths, episode.output_path, "video/mp4", "video")


@router.get("/episodes/{episode_id}/thumbnail", response_class=FileResponse)
@router.head("/episodes/{episode_id}/thumbnail", include_in_schema=False)
async def episode_thumbnail(episode_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The episode's thumbnail (its first frame)."""
    episode = await service.get(session=session, episode_id=episode_id)
    return _file(paths, episode.thumbnail_path, "image/jpeg", "thumbnail")


@router.get("/episodes/{episode_id}/subtitles.{fmt}", response_class=FileResponse)
@router.head("/episodes/{episode_id}/subtitles.{fmt}", include_in_schema=False)
async def episode_subtitles(
    episode_id: ItemId, fmt: Annotated[str, "srt or vtt"], paths: PathsDep, _: CurrentUser, session: SessionDep
) -> FileResponse:
    """Subtitles of the dialogue (SRT or WebVTT)."""
    if fmt not in ("srt", "vtt"):
        raise NotFound("subtitles are available as .srt or .vtt")
    episode = await service.get(session=session, episode_id=episode_id)
    relative = episode.output_path.rsplit(".", 1)[0] + f".{fmt}" if episode.output_path else None
    media_type = "application/x-subrip" if fmt == "srt" else "text/vtt"
    return _file(paths, relative, media_type, "subtitles")


@router.get("/episodes/{episode_id}/timeline.otio")
async def episode_otio(episode_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> Response:
    """An OpenTimelineIO timeline of the episode: shot clips, transitions, dialogue markers."""
    episode = await service.get(session=session, episode_id=episode_id)
    text = await episode_timeline(session=session, paths=paths, episode=episode)
    headers = {"Content-Disposition": f'attachment; filename="episode_{episode.number:02d}.otio"'}
    return Response(await asyncio.to_thread(lambda: text), media_type="application/json", headers=headers)
