"""Projects: create (with a default generation style), list with counts, update, delete."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters.models import Character
from anime_studio.common.types import slugify
from anime_studio.episodes.models import Episode
from anime_studio.errors import Conflict, NotFound
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.projects.models import Project
from anime_studio.projects.schemas import ProjectCreate, ProjectUpdate
from anime_studio.scenes.models import Scene
from anime_studio.styles import service as styles


async def get(*, session: AsyncSession, project_id: int) -> Project:
    project = await session.get(Project, project_id)
    if project is None:
        raise NotFound(f"project {project_id} not found")
    return project


async def find_by_slug(*, session: AsyncSession, slug: str) -> Project | None:
    return await session.scalar(select(Project).where(Project.slug == slug))


async def get_by_slug(*, session: AsyncSession, slug: str) -> Project:
    project = await find_by_slug(session=session, slug=slug)
    if project is None:
        raise NotFound(f"project {slug!r} not found")
    return project


def _count(model: Any) -> Any:
    return (
        select(func.count())
        .select_from(model)
        .where(model.project_id == Project.id)
        .correlate(Project)
        .scalar_subquery()
    )


async def list_projects(*, session: AsyncSession, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """Projects by name, each with its character, scene and episode counts."""
    total = await session.scalar(select(func.count()).select_from(Project)) or 0
    rows = await session.execute(
        select(Project, _count(Character), _count(Scene), _count(Episode))
        .order_by(Project.name, Project.id)
        .limit(limit)
        .offset(offset)
    )
    items = [{"project": p, "character_count": c, "scene_count": s, "episode_count": e} for p, c, s, e in rows.all()]
    return items, total


async def counts(*, session: AsyncSession, project: Project) -> dict[str, int]:
    result = (
        await session.execute(select(_count(Character), _count(Scene), _count(Episode)).where(Project.id == project.id))
    ).one()
    return {"character_count": result[0], "scene_count": result[1], "episode_count": result[2]}


async def create(*, session: AsyncSession, data: ProjectCreate) -> Project:
    """Create a project; without ``default_style_id`` it gets a style of its own with studio defaults."""
    slug = data.slug or slugify(data.name, fallback="project")
    if await session.scalar(select(Project.id).where(Project.slug == slug)) is not None:
        raise Conflict(f"a project with slug {slug!r} already exists")
    if data.default_style_id is not None:
        style = await styles.get(session=session, style_id=data.default_style_id)
    else:
        style = await styles.create_default_for(session=session, project_name=data.name)
    project = Project(**data.model_dump(exclude={"slug", "default_style_id"}), slug=slug, default_style_id=style.id)
    session.add(project)
    await session.flush()
    emit(session, names.PROJECT_CHANGED, {"project_id": project.id, "action": "created"})
    return project


async def update(*, session: AsyncSession, project: Project, data: ProjectUpdate) -> Project:
    changes = data.model_dump(exclude_unset=True, exclude_none=True)
    if "default_style_id" in changes:
        await styles.get(session=session, style_id=changes["default_style_id"])
    for key, value in changes.items():
        setattr(project, key, value)
    await session.flush()
    emit(session, names.PROJECT_CHANGED, {"project_id": project.id, "action": "updated"})
    return project


async def delete(*, session: AsyncSession, project: Project) -> None:
    """Delete the project's records; its files under the media root are kept."""
    await session.delete(project)
    emit(session, names.PROJECT_CHANGED, {"project_id": project.id, "action": "deleted"})
