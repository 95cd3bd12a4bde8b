"""Create the sample project through the same services the API uses."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.characters.schemas import CharacterCreate
from anime_studio.demo import content
from anime_studio.errors import Conflict
from anime_studio.projects import service as projects
from anime_studio.projects.models import Project
from anime_studio.projects.schemas import ProjectCreate
from anime_studio.story import service as story
from anime_studio.story.schemas import StorylineFields, WorldSettingsFields


async def create_demo(*, session: AsyncSession) -> Project:
    """Create the sample project; refuses if it already exists."""
    if await projects.find_by_slug(session=session, slug=content.PROJECT["slug"]) is not None:
        raise Conflict(f"the demo project {content.PROJECT['slug']!r} already exists")
    project = await projects.create(session=session, data=ProjectCreate(**content.PROJECT))
    await story.save_storyline(session=session, project_id=project.id, data=StorylineFields(**content.STORYLINE))
    await story.save_world(session=session, project_id=project.id, data=WorldSettingsFields(**content.WORLD))
    for character in content.CHARACTERS:
        await characters.create(session=session, project_id=project.id, data=CharacterCreate(**character))
    return project
