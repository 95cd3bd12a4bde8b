"""Starting an episode's runs (assemble, publish): one at a time per episode, only from current scene videos."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.episodes import service as episodes
from anime_studio.episodes.models import Episode
from anime_studio.errors import Conflict
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.review import gates
from anime_studio.scenes import runs as scene_runs

EPISODE_KINDS = ("episode.assemble", "episode.publish")


async def active(*, session: AsyncSession, episode: Episode) -> Run | None:
    """The episode's queued or running assemble/publish run, if any."""
    for kind in EPISODE_KINDS:
        run = await jobs.find_active(session=session, kind=kind, subject_type="episode", subject_id=episode.id)
        if run is not None:
            return run
    return None


async def start(*, session: AsyncSession, episode: Episode, kind: str, user_id: int | None, **params: int) -> Run:
    """Queue ``kind`` for the episode (409 while it already assembles or publishes, or a scene is not current)."""
    busy = await active(session=session, episode=episode)
    if busy is not None:
        raise Conflict(f"episode {episode.id} is already busy with job {busy.id} ({busy.kind})")
    await ensure_scenes_current(session=session, episode=episode, kind=kind)
    return await jobs.enqueue(
        session=session,
        kind=kind,
        params={"episode_id": episode.id, **params},
        project_id=episode.project_id,
        subject_type="episode",
        subject_id=episode.id,
        user_id=user_id,
        label=f"S{episode.season:02d}E{episode.number:02d} {episode.title}: {kind.removeprefix('episode.')}",
    )


async def ensure_scenes_current(*, session: AsyncSession, episode: Episode, kind: str) -> None:
    """Refuse (409) to assemble or publish from a scene that is being rendered or changed after its video.

    Checked when the run is queued and again when it executes: the scenes may change in between.
    """
    linked = [scene for _, scene in await episodes.scenes_of(session=session, episode_id=episode.id)]
    problems = [p for scene in linked if (p := await scene_runs.video_problem(session=session, scene=scene))]
    problems += await gates.problems(session=session, episode=episode, scenes=linked, kind=kind)
    if kind == "episode.publish":
        assembled = await _assembled_at(session, episode)
        for scene in linked:
            made = await scene_runs.video_made_at(session=session, scene=scene)
            if assembled is not None and made is not None and made > assembled:
                problems.append(
                    f"scene {scene.scene_number} ({scene.title}) was rendered again after the episode was "
                    "assembled: assemble the episode again"
                )
    if problems:
        raise Conflict(f"cannot {kind.removeprefix('episode.')} the episode: {'; '.join(problems)}")


async def _assembled_at(session: AsyncSession, episode: Episode) -> datetime | None:
    """When the episode file was last assembled, by the database's clock (as :func:`video_made_at`)."""
    return await session.scalar(
        select(func.max(Run.updated_at)).where(
            Run.kind == "episode.assemble",
            Run.subject_type == "episode",
            Run.subject_id == episode.id,
            Run.status == RunStatus.succeeded,
        )
    )
