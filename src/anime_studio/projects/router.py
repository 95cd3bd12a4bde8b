"""Projects, their generation style, storyline and world settings."""

from __future__ import annotations

from fastapi import APIRouter, status

from anime_studio.common.pagination import Page
from anime_studio.deps import CurrentUser, EditorUser, Limit, Offset, ProjectId, SessionDep
from anime_studio.errors import Invalid
from anime_studio.projects import service
from anime_studio.projects.models import Project
from anime_studio.projects.schemas import ProjectCreate, ProjectDetail, ProjectRead, ProjectSummary, ProjectUpdate
from anime_studio.styles import service as styles
from anime_studio.styles.schemas import StyleRead, StyleUpdate

router = APIRouter(tags=["projects"])


async def _detail(session: SessionDep, project: Project) -> ProjectDetail:
    counts = await service.counts(session=session, project=project)
    style = None
    if project.default_style_id is not None:
        style = StyleRead.model_validate(await styles.get(session=session, style_id=project.default_style_id))
    return ProjectDetail(**ProjectRead.model_validate(project).model_dump(), **counts, style=style)


@router.get("/projects", response_model=Page[ProjectSummary])
async def list_projects(
    _: CurrentUser, session: SessionDep, limit: Limit = 100, offset: Offset = 0
) -> Page[ProjectSummary]:
    """Projects by name with their character, scene and episode counts."""
    rows, total = await service.list_projects(session=session, limit=limit, offset=offset)
    items = [ProjectSummary(**ProjectRead.model_validate(r.pop("project")).model_dump(), **r) for r in rows]
    return Page(items=items, total=total, limit=limit, offset=offset)


@router.post("/projects", response_model=ProjectDetail, status_code=status.HTTP_201_CREATED)
async def create_project(body: ProjectCreate, _: EditorUser, session: SessionDep) -> ProjectDetail:
    """Create a project (with a generation style of its own unless one is given)."""
    return await _detail(session, await service.create(session=session, data=body))


@router.get("/projects/{project_id}", response_model=ProjectDetail)
async def get_project(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> ProjectDetail:
    """A project with its generation style and counts."""
    return await _detail(session, await service.get(session=session, project_id=project_id))


@router.patch("/projects/{project_id}", response_model=ProjectDetail)
@router.put("/projects/{project_id}", response_model=ProjectDetail)
async def update_project(
    project_id: ProjectId, body: ProjectUpdate, _: EditorUser, session: SessionDep
) -> ProjectDetail:
    """Change some fields of a project (the slug never changes: it names folders on disk). PUT is an alias."""
    project = await service.get(session=session, project_id=project_id)
    return await _detail(session, await service.update(session=session, project=project, data=body))


@router.delete("/projects/{project_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_project(project_id: ProjectId, _: EditorUser, session: SessionDep) -> None:
    """Delete a project's records (its files stay under the media root)."""
    await service.delete(session=session, project=await service.get(session=session, project_id=project_id))


@router.get("/projects/{project_id}/style", response_model=StyleRead)
async def get_project_style(project_id: ProjectId, _: CurrentUser, session: SessionDep) -> StyleRead:
    """The project's generation style (the SSOT of every generation parameter)."""
    project = await service.get(session=session, project_id=project_id)
    if project.default_style_id is None:
        raise Invalid(f"project {project_id} has no generation style")
    return StyleRead.model_validate(await styles.get(session=session, style_id=project.default_style_id))


@router.put("/projects/{project_id}/style", response_model=StyleRead)
async def update_project_style(
    project_id: ProjectId, body: StyleUpdate, _: EditorUser, session: SessionDep
) -> StyleRead:
    """Change the project's generation style (checkpoint, CFG, steps, sampler, resolution, templates)."""
    project = await service.get(session=session, project_id=project_id)
    if project.default_style_id is None:
        style = await styles.create_default_for(session=session, project_name=project.name)
        project.default_style_id = style.id
    else:
        style = await styles.get(session=session, style_id=project.default_style_id)
    return StyleRead.model_validate(await styles.update(session=session, style=style, data=body))
