"""Create the sample project through the same services the API uses."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.characters.schemas import CharacterCreate
from anime_studio.demo import content
from anime_studio.episodes import service as episodes
from anime_studio.episodes.schemas import EpisodeCreate
from anime_studio.errors import Conflict
from anime_studio.projects import service as projects
from anime_studio.projects.models import Project
from anime_studio.projects.schemas import ProjectCreate
from anime_studio.review import gates as review_gates
from anime_studio.scenes import service as scenes
from anime_studio.scenes.models import Shot
from anime_studio.scenes.schemas import SceneCreate
from anime_studio.story import service as story
from anime_studio.story.schemas import StorylineFields, WorldSettingsFields


async def create_demo(*, session: AsyncSession) -> Project:
    """Create the sample project (story, world, two characters, two scenes, one episode); refuses twice."""
    if await projects.find_by_slug(session=session, slug=content.PROJECT["slug"]) is not None:
        raise Conflict(f"the demo project {content.PROJECT['slug']!r} already exists")
    project = await projects.create(session=session, data=ProjectCreate(**content.PROJECT))
    await story.save_storyline(session=session, project_id=project.id, data=StorylineFields(**content.STORYLINE))
    await story.save_world(session=session, project_id=project.id, data=WorldSettingsFields(**content.WORLD))
    cast = {}
    for character in content.CHARACTERS:
        created = await characters.create(session=session, project_id=project.id, data=CharacterCreate(**character))
        cast[created.slug] = created.id
    scene_ids = [await _scene(session, project.id, spec, cast) for spec in content.SCENES]
    episode = await episodes.create(session=session, data=EpisodeCreate(project_id=project.id, **content.EPISODE))
    for scene_id in scene_ids:
        await episodes.add_scene(session=session, episode=episode, scene_id=scene_id, position=None)
    # The sample shows the pipeline end to end with nobody to review it; real projects keep the publish gate.
    await review_gates.set_gate(session=session, project_id=project.id, value="off")
    return project


async def _scene(session: AsyncSession, project_id: int, spec: dict[str, Any], cast: dict[str, int]) -> int:
    fields = {k: v for k, v in spec.items() if k != "shots"}
    scene = await scenes.create(session=session, data=SceneCreate(project_id=project_id, **fields))
    for position, shot in enumerate(spec["shots"], start=1):
        body = {k: v for k, v in shot.items() if k not in ("cast", "speaker")}
        session.add(
            Shot(
                scene_id=scene.id,
                position=position,
                characters=[cast[slug] for slug in shot["cast"]],
                dialogue_character_id=cast.get(shot.get("speaker", "")),
                **body,
            )
        )
    await session.flush()
    return scene.id
