"""``/api/lora/scenes``: the scene builder (the spec's 21 scene routes, plus shot reordering)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, UploadFile, status
from fastapi.responses import FileResponse

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.assets.router import read
from anime_studio.auth.service import Principal
from anime_studio.characters import service as characters
from anime_studio.common.types import MAX_DB_INT
from anime_studio.datasets import service as datasets
from anime_studio.deps import CurrentUser, EditorUser, EnginesDep, ItemId, PathsDep, SessionDep
from anime_studio.engines.video.presets import MOTION_PRESETS
from anime_studio.errors import Invalid, NotFound
from anime_studio.jobs.schemas import RunRead
from anime_studio.media.paths import MediaPaths
from anime_studio.scenes import runs, service
from anime_studio.scenes import story as story_scenes
from anime_studio.scenes.music import save_upload
from anime_studio.scenes.schemas import (
    AttachMusic,
    MusicSettings,
    SceneCreate,
    SceneDetail,
    SceneRead,
    SceneStatus,
    SceneUpdate,
    ShotCreate,
    ShotOrder,
    ShotRead,
    ShotStatus,
    ShotUpdate,
    StoryPlans,
    StoryScenes,
)

router = APIRouter(tags=["scenes"])

ProjectQuery = Annotated[int, Query(ge=1, le=MAX_DB_INT)]


async def _start(session: SessionDep, scene_id: int, kind: str, principal: Principal, **params: int) -> RunRead:
    scene = await service.get(session=session, scene_id=scene_id)
    run = await runs.start(session=session, scene=scene, kind=kind, user_id=principal.user.id, **params)
    return RunRead.model_validate(run)


async def _detail(session: SessionDep, scene_id: int) -> SceneDetail:
    scene = await service.get(session=session, scene_id=scene_id)
    shots = await service.shots_of(session=session, scene_id=scene_id)
    return SceneDetail(
        **SceneRead.model_validate(scene).model_dump(exclude={"total_shots", "completed_shots"}),
        total_shots=len(shots),
        completed_shots=service.finished_count(shots),
        shots=[ShotRead.model_validate(s) for s in shots],
    )


@router.get("/scenes", response_model=list[SceneRead])
async def list_scenes(project_id: ProjectQuery, _: CurrentUser, session: SessionDep) -> list[SceneRead]:
    """The project's scenes in order, with shot counts."""
    rows = await service.list_for_project(session=session, project_id=project_id)
    counts = await service.shot_counts(session=session, scene_ids=[s.id for s in rows])
    return [
        SceneRead.model_validate(s).model_copy(
            update={"total_shots": counts.get(s.id, (0, 0))[0], "completed_shots": counts.get(s.id, (0, 0))[1]}
        )
        for s in rows
    ]


@router.post("/scenes", response_model=SceneDetail, status_code=status.HTTP_201_CREATED)
async def create_scene(body: SceneCreate, _: EditorUser, session: SessionDep) -> SceneDetail:
    """Create a scene (location, time of day, weather, mood) at the end of the project."""
    scene = await service.create(session=session, data=body)
    return await _detail(session, scene.id)


@router.post("/scenes/generate-from-story", response_model=StoryScenes)
async def generate_from_story(
    engines: EnginesDep,
    project_id: ProjectQuery,
    _: EditorUser,
    session: SessionDep,
    create: bool = False,
    max_scenes: Annotated[int, Query(ge=1, le=50)] = 12,
    body: StoryPlans | None = None,
) -> StoryScenes:
    """Break storyline + world + characters into scenes with shots; ``create=true`` also saves them.

    With ``create=true`` and previewed ``scenes`` in the body, exactly those plans are saved.
    """
    if create and body is not None:
        plans = body.scenes
    else:
        plans = await story_scenes.breakdown(
            session=session, engine=engines.llm, project_id=project_id, max_scenes=max_scenes
        )
    if create:
        created = await story_scenes.save(session=session, project_id=project_id, plans=plans)
        items = [(await _detail(session, s.id)).model_dump(mode="json") for s in created]
    else:
        items = [story_scenes.plan_to_dict(p) for p in plans]
    return StoryScenes(project_id=project_id, count=len(items), created=create, scenes=items)


@router.get("/scenes/motion-presets")
async def motion_presets(
    _: CurrentUser, shot_type: Annotated[str | None, Query(max_length=32)] = None
) -> dict[str, object]:
    """The curated motion prompts per shot type (the shot editor's chips)."""
    if shot_type is None:
        return {"presets": {k: list(v) for k, v in MOTION_PRESETS.items()}}
    return {"shot_type": shot_type, "presets": list(MOTION_PRESETS.get(shot_type, ()))}


@router.get("/scenes/{scene_id}", response_model=SceneDetail)
async def get_scene(scene_id: ItemId, _: CurrentUser, session: SessionDep) -> SceneDetail:
    """A scene with its shots in order."""
    return await _detail(session, scene_id)


@router.patch("/scenes/{scene_id}", response_model=SceneDetail)
async def update_scene(scene_id: ItemId, body: SceneUpdate, _: EditorUser, session: SessionDep) -> SceneDetail:
    """Change some fields of a scene."""
    scene = await service.get(session=session, scene_id=scene_id)
    await service.update_scene(session=session, scene=scene, data=body)
    return await _detail(session, scene_id)


@router.delete("/scenes/{scene_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_scene(scene_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Delete a scene and its shots (rendered files stay on disk)."""
    await service.delete(session=session, scene=await service.get(session=session, scene_id=scene_id))


@router.post("/scenes/{scene_id}/shots", response_model=ShotRead, status_code=status.HTTP_201_CREATED)
async def add_shot(scene_id: ItemId, body: ShotCreate, paths: PathsDep, _: EditorUser, session: SessionDep) -> ShotRead:
    """Add a shot (source image, motion prompt, type, angle, duration, dialogue, transition)."""
    scene = await service.get(session=session, scene_id=scene_id)
    shot = await service.add_shot(session=session, paths=paths, scene=scene, data=body)
    return ShotRead.model_validate(shot)


@router.patch("/scenes/{scene_id}/shots/{shot_id}", response_model=ShotRead)
async def update_shot(
    scene_id: ItemId, shot_id: ItemId, body: ShotUpdate, paths: PathsDep, _: EditorUser, session: SessionDep
) -> ShotRead:
    """Change some fields of a shot."""
    scene = await service.get(session=session, scene_id=scene_id)
    shot = await service.get_shot(session=session, scene_id=scene_id, shot_id=shot_id)
    return ShotRead.model_validate(
        await service.update_shot(session=session, paths=paths, scene=scene, shot=shot, data=body)
    )


@router.delete("/scenes/{scene_id}/shots/{shot_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_shot(scene_id: ItemId, shot_id: ItemId, _: EditorUser, session: SessionDep) -> None:
    """Remove a shot; later shots move up."""
    await service.delete_shot(
        session=session, shot=await service.get_shot(session=session, scene_id=scene_id, shot_id=shot_id)
    )


@router.put("/scenes/{scene_id}/reorder", response_model=list[ShotRead])
async def reorder_shots(scene_id: ItemId, body: ShotOrder, _: EditorUser, session: SessionDep) -> list[ShotRead]:
    """Put the shots in the given order (drag and drop)."""
    scene = await service.get(session=session, scene_id=scene_id)
    return [
        ShotRead.model_validate(s) for s in await service.reorder(session=session, scene=scene, shot_ids=body.shot_ids)
    ]


@router.post("/scenes/{scene_id}/audio", response_model=SceneDetail)
async def assign_audio(
    scene_id: ItemId,
    file: UploadFile,
    paths: PathsDep,
    _: EditorUser,
    session: SessionDep,
    fade_in: Annotated[float, Query(ge=0, le=30)] = 1.0,
    fade_out: Annotated[float, Query(ge=0, le=30)] = 2.0,
    start_offset: Annotated[float, Query(ge=0, le=3600)] = 0.0,
    volume: Annotated[float, Query(ge=0, le=1)] = 0.3,
) -> SceneDetail:
    """Assign a music track (upload WAV/MP3/OGG/FLAC/M4A); it replaces generated music."""
    scene = await service.get(session=session, scene_id=scene_id)
    settings = MusicSettings(fade_in=fade_in, fade_out=fade_out, start_offset=start_offset, volume=volume)
    await save_upload(session=session, paths=paths, scene=scene, upload=file, settings=settings)
    return await _detail(session, scene_id)


@router.delete("/scenes/{scene_id}/audio", response_model=SceneDetail)
async def remove_audio(scene_id: ItemId, _: EditorUser, session: SessionDep) -> SceneDetail:
    """Remove the assigned track (music is generated from the mood again)."""
    scene = await service.get(session=session, scene_id=scene_id)
    scene.music_path, scene.music = None, {}
    return await _detail(session, scene_id)


@router.post("/scenes/{scene_id}/generate-music", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def generate_music(scene_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Compose music for the scene from its mood with the music engine (ACE-Step or the synthesiser)."""
    scene = await service.get(session=session, scene_id=scene_id)
    return RunRead.model_validate(
        await runs.start(session=session, scene=scene, kind="scene.music", user_id=principal.user.id)
    )


@router.post("/scenes/{scene_id}/attach-music", response_model=SceneDetail)
async def attach_music(scene_id: ItemId, body: AttachMusic, _: EditorUser, session: SessionDep) -> SceneDetail:
    """Use an existing audio asset of the project as the scene's music."""
    scene = await service.get(session=session, scene_id=scene_id)
    asset = await assets.get(session=session, asset_id=body.asset_id)
    if asset.project_id != scene.project_id or asset.kind != AssetKind.audio:
        raise Invalid(f"asset {asset.id} is not an audio file of this project")
    scene.music_path, scene.music = asset.path, body.model_dump(exclude={"asset_id"})
    return await _detail(session, scene_id)


@router.post("/scenes/{scene_id}/generate", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def generate_scene(scene_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Generate every shot (progressive quality gates, continuity chain), then assemble with audio."""
    return await _start(session, scene_id, "scene.generate", principal)


@router.get("/scenes/{scene_id}/status", response_model=SceneStatus)
async def scene_status(scene_id: ItemId, _: CurrentUser, session: SessionDep) -> SceneStatus:
    """Generation state of the scene and each shot, with the latest run's progress."""
    scene = await service.get(session=session, scene_id=scene_id)
    shots = await service.shots_of(session=session, scene_id=scene_id)
    run = await runs.latest(session=session, scene=scene)
    return SceneStatus(
        scene_id=scene.id,
        status=scene.status,
        total_shots=len(shots),
        completed_shots=service.finished_count(shots),
        duration=scene.duration,
        output_path=scene.output_path,
        run_id=run.id if run else None,
        run_status=run.status.value if run else None,
        progress=run.progress if run else 0.0,
        message=run.message if run else "",
        shots=[ShotStatus.model_validate(s, from_attributes=True) for s in shots],
    )


@router.post(
    "/scenes/{scene_id}/shots/{shot_id}/regenerate", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED
)
async def regenerate_shot(scene_id: ItemId, shot_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Regenerate one shot (continuing the previous shot's picture when its cast is in it) and re-assemble the scene."""
    await service.get_shot(session=session, scene_id=scene_id, shot_id=shot_id)
    return await _start(session, scene_id, "scene.shot", principal, shot_id=shot_id)


@router.post("/scenes/{scene_id}/assemble", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def assemble_scene(scene_id: ItemId, principal: EditorUser, session: SessionDep) -> RunRead:
    """Assemble the finished shots with crossfades, dialogue and music."""
    return await _start(session, scene_id, "scene.assemble", principal)


def _video(paths: MediaPaths, relative: str | None, what: str) -> FileResponse:
    path = paths.inside(relative) if relative else None
    if path is None or not path.is_file():
        raise NotFound(f"{what} video not found: generate it first")
    return FileResponse(path, media_type="video/mp4", filename=path.name, content_disposition_type="inline")


@router.get("/scenes/{scene_id}/video", response_class=FileResponse)
@router.head("/scenes/{scene_id}/video", include_in_schema=False)
async def scene_video(scene_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep) -> FileResponse:
    """The assembled scene (MP4, Range requests)."""
    scene = await service.get(session=session, scene_id=scene_id)
    return _video(paths, scene.output_path, "scene")


@router.get("/scenes/{scene_id}/shots/{shot_id}/video", response_class=FileResponse)
@router.head("/scenes/{scene_id}/shots/{shot_id}/video", include_in_schema=False)
async def shot_video(
    scene_id: ItemId, shot_id: ItemId, paths: PathsDep, _: CurrentUser, session: SessionDep
) -> FileResponse:
    """One shot's clip (MP4, Range requests)."""
    shot = await service.get_shot(session=session, scene_id=scene_id, shot_id=shot_id)
    return _video(paths, shot.output_path, "shot")


@router.get("/scenes/{scene_id}/approved-images")
async def approved_images(scene_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> dict[str, object]:
    """Approved images of the project's characters, grouped by character (the source-image picker)."""
    scene = await service.get(session=session, scene_id=scene_id)
    cast = {c.id: c for c in await characters.all_for_project(session=session, project_id=scene.project_id)}
    grouped: dict[str, dict[str, Any]] = {}
    for asset in await datasets.approved_images(session=session, project_id=scene.project_id):
        character = cast.get(asset.character_id or 0)
        if character is None:
            continue
        entry = grouped.setdefault(
            str(character.id), {"character_name": character.name, "slug": character.slug, "images": []}
        )
        entry["images"].append(read(request, asset).model_dump(mode="json"))
    return {"characters": grouped}
