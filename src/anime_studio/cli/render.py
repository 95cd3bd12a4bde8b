"""``anime-studio render``: generate every scene of an episode and assemble it, headless, with progress bars."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from anime_studio.cli.common import console, load_settings, setup_logging
from anime_studio.episodes import runs as episode_runs
from anime_studio.episodes import service as episodes
from anime_studio.episodes.models import Episode
from anime_studio.errors import Conflict, DomainError
from anime_studio.events.bus import get_bus
from anime_studio.jobs import service as jobs
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.projects import service as projects
from anime_studio.runtime import Runtime, prepare_database, runtime
from anime_studio.scenes import runs as scene_runs
from anime_studio.scenes import service as scene_service


async def _start_scene(rt: Runtime, scene_id: int) -> Run:
    """A fresh scene generation (every shot again), exactly as ``POST /scenes/{id}/generate`` starts it."""
    async with rt.db.transaction() as session:
        scene = await scene_service.get(session=session, scene_id=scene_id)
        return await scene_runs.start(session=session, scene=scene, kind="scene.generate", user_id=None)


async def _start_episode(rt: Runtime, episode_id: int, kind: str) -> Run:
    async with rt.db.transaction() as session:
        episode = await episodes.get(session=session, episode_id=episode_id)
        return await episode_runs.start(session=session, episode=episode, kind=kind, user_id=None)


async def _follow(rt: Runtime, run: Run, bars: Progress, task: TaskID) -> Run:
    """Mirror the run's progress events into a progress bar until it finishes."""
    async with get_bus().subscribe("run.") as events:
        while True:
            async with rt.db.sessionmaker() as session:
                current = await jobs.get(session=session, run_id=run.id)
            bars.update(task, completed=current.progress * 100, status=current.message[:60])
            if current.status.finished:
                return current
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(events.get(), timeout=2)


async def _join(rt: Runtime, run: Run, bars: Progress, task: TaskID) -> Run:
    """Wait for a run started earlier (by another command, or one that was killed: recovery resumes it)."""
    bars.update(task, status=f"waiting for job {run.id} ({run.kind}, {run.status.value})")
    if run.status == RunStatus.running:
        after = rt.settings.worker_stalled_after
        console.print(
            f"{run.kind} (job {run.id}) is already running on {run.worker}: waiting for it; if that worker died,"
            f" it resumes here once its heartbeat is {after:.0f} s old"
        )
    else:
        console.print(f"{run.kind} (job {run.id}) is already queued: waiting for it")
    done = await _follow(rt, run, bars, task)
    _report(done, joined=True)
    return done


async def _scene_run(rt: Runtime, scene_id: int) -> Run | None:
    async with rt.db.sessionmaker() as session:
        scene = await scene_service.get(session=session, scene_id=scene_id)
        return await scene_runs.active(session=session, scene=scene)


async def _episode_run(rt: Runtime, episode: Episode) -> Run | None:
    async with rt.db.sessionmaker() as session:
        return await episode_runs.active(session=session, episode=episode)


async def _start_unless_raced(starting: Awaitable[Run], active: Callable[[], Awaitable[Run | None]]) -> Run | None:
    """The started run; None when another one started first (the caller then waits for that one)."""
    try:
        return await starting
    except Conflict:
        if await active() is None:
            raise  # not a race: e.g. a scene that is not current
        return None


async def _render_scene(rt: Runtime, scene_id: int, force: bool, bars: Progress, task: TaskID) -> None:
    """Wait for the scene's unfinished run (a killed one resumes), else keep its current video or generate it."""
    while True:
        running = await _scene_run(rt, scene_id)
        if running is not None:
            joined = await _join(rt, running, bars, task)
            if joined.kind == "scene.generate":  # it regenerated every shot (--force included) and assembled
                _check(joined, joined=True)
                return
            continue
        async with rt.db.sessionmaker() as session:
            scene = await scene_service.get(session=session, scene_id=scene_id)
            problem = await scene_runs.video_problem(session=session, scene=scene)
        done = scene.output_path and rt.paths.inside(scene.output_path).is_file()
        if done and problem is None and not force:
            bars.update(task, completed=100, status="already rendered")
            return
        run = await _start_unless_raced(_start_scene(rt, scene_id), lambda: _scene_run(rt, scene_id))
        if run is not None:
            _check(await _follow(rt, run, bars, task))
            return


async def _render_episode(rt: Runtime, episode: Episode, kind: str, bars: Progress, task: TaskID) -> None:
    """Wait for the episode's assemble/publish in progress, then run ``kind`` unless that run was one."""
    while True:
        running = await _episode_run(rt, episode)
        if running is not None:
            joined = await _join(rt, running, bars, task)
            if joined.kind == kind:  # its outcome is this step's outcome
                _check(joined, joined=True)
                return
            continue
        run = await _start_unless_raced(_start_episode(rt, episode.id, kind), lambda: _episode_run(rt, episode))
        if run is not None:
            _check(await _follow(rt, run, bars, task))
            return


async def _render(data_dir: Path | None, slug: str, number: int, force: bool, publish: bool) -> None:
    settings = load_settings(data_dir, embedded_worker=False)
    url = await asyncio.to_thread(prepare_database, settings)
    async with runtime(settings, url) as rt:
        rt.start_worker()  # its recovery loop requeues runs of dead workers, this command's earlier self included
        async with rt.db.sessionmaker() as session:
            project = await projects.get_by_slug(session=session, slug=slug)
            episode = await episodes.get_by_number(session=session, project_id=project.id, number=number)
            linked = [scene for _, scene in await episodes.scenes_of(session=session, episode_id=episode.id)]
        columns = [
            TextColumn("{task.description:<32}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("{task.fields[status]}"),
        ]
        with Progress(*columns, console=console) as bars:
            for scene in linked:
                task = bars.add_task(f"scene {scene.scene_number}: {scene.title}"[:32], total=100, status="")
                await _render_scene(rt, scene.id, force, bars, task)
            for kind, label in (("episode.assemble", "assembling episode"), ("episode.publish", "publishing")):
                if kind == "episode.publish" and not publish:
                    continue
                task = bars.add_task(label, total=100, status="")
                await _render_episode(rt, episode, kind, bars, task)
        async with rt.db.sessionmaker() as session:
            episode = await episodes.get(session=session, episode_id=episode.id)
        output = rt.paths.inside(episode.output_path) if episode.output_path else None
        console.print(f"[green]episode ready:[/] {output}  ({episode.duration:.1f} s)")
        if episode.publish_path:
            console.print(f"[green]published:[/] {episode.publish_path}")


def _report(run: Run, *, joined: bool = False) -> None:
    origin = f"job {run.id}, started earlier" if joined else f"job {run.id}"
    if run.status == RunStatus.succeeded:
        console.print(f"{run.kind} ({origin}): succeeded")
    else:
        console.print(f"[red]{run.kind} ({origin}) {run.status.value}:[/] {run.error}")


def _check(run: Run, *, joined: bool = False) -> None:
    if run.status != RunStatus.succeeded:
        if not joined:  # _join reported it already
            _report(run)
        raise typer.Exit(1)


def render(
    project: Annotated[str, typer.Option(help="Project slug, e.g. lantern-courier")],
    episode: Annotated[int, typer.Option(help="Episode number", min=1)],
    force: Annotated[bool, typer.Option(help="Regenerate scenes that were already rendered")] = False,
    publish: Annotated[bool, typer.Option(help="Also publish to the media library")] = False,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory")] = None,
) -> None:
    """Render an episode end to end: every scene's shots, dialogue and music, then the episode file."""
    setup_logging("warning")
    try:
        asyncio.run(_render(data_dir, project, episode, force, publish))
    except DomainError as error:
        console.print(f"[red]error:[/] {error}")
        raise typer.Exit(1) from error
