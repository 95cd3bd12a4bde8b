"""Starting an episode's runs (assemble, publish): one at a time per episode, from the API or the CLI."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.episodes.models import Episode
from anime_studio.errors import Conflict
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run

EPISODE_KINDS = ("episode.assemble", "episode.publish")


async def start(*, session: AsyncSession, episode: Episode, kind: str, user_id: int | None, **params: int) -> Run:
    """Queue ``kind`` for the episode (409 while it already assembles or publishes)."""
    for busy_kind in EPISODE_KINDS:
        busy = await jobs.find_active(session=session, kind=busy_kind, subject_type="episode", subject_id=episode.id)
        if busy is not None:
            raise Conflict(f"episode {episode.id} is already busy with job {busy.id} ({busy.kind})")
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
