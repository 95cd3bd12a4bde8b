"""Episodes and their ordered scenes."""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.db import ordering
from anime_studio.episodes.models import Episode, EpisodeScene
from anime_studio.episodes.schemas import EpisodeCreate, EpisodeUpdate
from anime_studio.errors import Conflict, Invalid, NotFound
from anime_studio.projects import service as projects
from anime_studio.scenes.models import Scene


async def get(*, session: AsyncSession, episode_id: int) -> Episode:
    episode = await session.get(Episode, episode_id)
    if episode is None:
        raise NotFound(f"episode {episode_id} not found")
    return episode


async def get_by_number(*, session: AsyncSession, project_id: int, number: int) -> Episode:
    episode = await session.scalar(select(Episode).where(Episode.project_id == project_id, Episode.number == number))
    if episode is None:
        raise NotFound(f"project {project_id} has no episode {number}")
    return episode


async def list_for_project(*, session: AsyncSession, project_id: int) -> list[tuple[Episode, int]]:
    """Episodes by number, each with its scene count."""
    await projects.get(session=session, project_id=project_id)
    count = select(func.count()).where(EpisodeScene.episode_id == Episode.id).correlate(Episode).scalar_subquery()
    rows = await session.execute(
        select(Episode, count).where(Episode.project_id == project_id).order_by(Episode.season, Episode.number)
    )
    return [(e, c) for e, c in rows.all()]


async def _number_free(session: AsyncSession, project_id: int, number: int, exclude: int | None = None) -> None:
    query = select(Episode.id).where(Episode.project_id == project_id, Episode.number == number)
    if exclude is not None:
        query = query.where(Episode.id != exclude)
    if await session.scalar(query) is not None:
        raise Conflict(f"the project already has an episode {number}")


async def create(*, session: AsyncSession, data: EpisodeCreate) -> Episode:
    """Create an episode (numbered after the last one unless a number is given)."""
    await projects.get(session=session, project_id=data.project_id)
    number = await ordering.next_number(
        session, parent_key=Episode.project_id, column=Episode.number, parent_id=data.project_id
    )
    number = number if data.number is None else data.number
    await _number_free(session, data.project_id, number)
    episode = Episode(**data.model_dump(exclude={"number"}), number=number)
    session.add(episode)
    await session.flush()
    return episode


async def update_episode(*, session: AsyncSession, episode: Episode, data: EpisodeUpdate) -> Episode:
    changes = data.model_dump(exclude_none=True)
    if "number" in changes:
        await ordering.lock_parent(session, Episode.project_id, episode.project_id)
        await _number_free(session, episode.project_id, changes["number"], exclude=episode.id)
    for key, value in changes.items():
        setattr(episode, key, value)
    await session.flush()
    return episode


async def delete(*, session: AsyncSession, episode: Episode) -> None:
    """Delete the episode (its scenes are kept)."""
    await session.delete(episode)


async def scenes_of(*, session: AsyncSession, episode_id: int) -> list[tuple[EpisodeScene, Scene]]:
    rows = await session.execute(
        select(EpisodeScene, Scene)
        .join(Scene, Scene.id == EpisodeScene.scene_id)
        .where(EpisodeScene.episode_id == episode_id)
        .order_by(EpisodeScene.position)
    )
    return [(link, scene) for link, scene in rows.all()]


async def add_scene(*, session: AsyncSession, episode: Episode, scene_id: int, position: int | None) -> None:
    """Put a scene of the same project in the episode (moving it if it is there already)."""
    scene = await session.get(Scene, scene_id)
    if scene is None:
        raise NotFound(f"scene {scene_id} not found")
    if scene.project_id != episode.project_id:
        raise Invalid(f"scene {scene_id} belongs to another project")
    await ordering.lock_parent(session, EpisodeScene.episode_id, episode.id)
    links = [link for link, _ in await scenes_of(session=session, episode_id=episode.id)]
    order = [link.scene_id for link in links if link.scene_id != scene_id]
    index = len(order) if position is None else min(max(position - 1, 0), len(order))
    order.insert(index, scene_id)
    existing = {link.scene_id: link for link in links}
    if scene_id not in existing:
        link = EpisodeScene(episode_id=episode.id, scene_id=scene_id, position=0)
        session.add(link)
        existing[scene_id] = link
    for number, sid in enumerate(order, start=1):
        existing[sid].position = number
    await session.flush()


async def remove_scene(*, session: AsyncSession, episode: Episode, scene_id: int) -> None:
    await ordering.lock_parent(session, EpisodeScene.episode_id, episode.id)
    link = await session.scalar(
        select(EpisodeScene).where(EpisodeScene.episode_id == episode.id, EpisodeScene.scene_id == scene_id)
    )
    if link is None:
        raise NotFound(f"scene {scene_id} is not in this episode")
    position = link.position
    await session.delete(link)
    await session.flush()
    await session.execute(
        update(EpisodeScene)
        .where(EpisodeScene.episode_id == episode.id, EpisodeScene.position > position)
        .values(position=EpisodeScene.position - 1)
    )


async def reorder(*, session: AsyncSession, episode: Episode, scene_order: list[int]) -> None:
    """Positions 1..N in the order given (every scene of the episode exactly once)."""
    await ordering.lock_parent(session, EpisodeScene.episode_id, episode.id)
    links = [link for link, _ in await scenes_of(session=session, episode_id=episode.id)]
    if sorted(scene_order) != sorted(link.scene_id for link in links) or len(set(scene_order)) != len(scene_order):
        raise Invalid("scene_order must list every scene of the episode exactly once")
    by_scene = {link.scene_id: link for link in links}
    for position, scene_id in enumerate(scene_order, start=1):
        by_scene[scene_id].position = position
    await session.flush()
