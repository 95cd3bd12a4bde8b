"""Storyline and world settings of a project."""

from __future__ import annotations

from fastapi import APIRouter

from anime_studio.deps import CurrentUser, EditorUser, ProjectId, SessionDep
from anime_studio.projects import service as projects
from anime_studio.story import service
from anime_studio.story.schemas import StorylineFields, StorylineRead, WorldSettingsFields, WorldSettingsRead

router = APIRouter(tags=["story"])


@router.get("/projects/{project_id}/storyline", response_model=StorylineRead)
async def get_storyline(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> StorylineRead:
    """The project's storyline (empty fields until written)."""
    await projects.get(session=session, project_id=project_id)
    row = await service.find_storyline(session=session, project_id=project_id)
    return StorylineRead.model_validate(row) if row else StorylineRead(project_id=project_id)


@router.put("/projects/{project_id}/storyline", response_model=StorylineRead)
async def save_storyline(
    project_id: ProjectId, body: StorylineFields, _: EditorUser, session: SessionDep
) -> StorylineRead:
    """Create or update the storyline; omitted fields keep their value."""
    await projects.get(session=session, project_id=project_id)
    return StorylineRead.model_validate(await service.save_storyline(session=session, project_id=project_id, data=body))


@router.get("/projects/{project_id}/world", response_model=WorldSettingsRead)
async def get_world_settings(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> WorldSettingsRead:
    """Art direction, cinematography, colour palette and negative guidance of the project's world."""
    await projects.get(session=session, project_id=project_id)
    row = await service.find_world(session=session, project_id=project_id)
    return WorldSettingsRead.model_validate(row) if row else WorldSettingsRead(project_id=project_id)


@router.put("/projects/{project_id}/world", response_model=WorldSettingsRead)
async def save_world_settings(
    project_id: ProjectId, body: WorldSettingsFields, _: EditorUser, session: SessionDep
) -> WorldSettingsRead:
    """Create or update the world settings; omitted fields keep their value."""
    await projects.get(session=session, project_id=project_id)
    return WorldSettingsRead.model_validate(await service.save_world(session=session, project_id=project_id, data=body))
