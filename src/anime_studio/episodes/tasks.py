"""Run kinds ``episode.assemble`` and ``episode.publish``."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind
from anime_studio.datasets.files import write_atomic
from anime_studio.engines.publish.base import EpisodePublication
from anime_studio.episodes import assembly, exports
from anime_studio.episodes import runs as episode_runs
from anime_studio.episodes import service as episodes
from anime_studio.episodes.models import Episode
from anime_studio.errors import Invalid
from anime_studio.events import names
from anime_studio.events.outbox import emit
from anime_studio.jobs.context import RunContext
from anime_studio.jobs.handlers import run_kind
from anime_studio.media.probe import probe, recorded
from anime_studio.media.subtitles import to_srt, to_vtt
from anime_studio.projects.models import Project
from anime_studio.review import gates, versions
from anime_studio.scenes.models import Scene


def output_stem(paths: Any, project: Project, episode: Episode) -> Path:
    folder: Path = paths.episodes_output(project.slug)
    return folder / f"S{episode.season:02d}E{episode.number:02d}"


@run_kind("episode.assemble", max_attempts=2, description="Assemble an episode from its scenes")
async def assemble(ctx: RunContext) -> dict[str, Any]:
    """Concat the scene files (stream copy when compatible), embed subtitles, take the first frame as thumbnail."""
    rt = ctx.runtime
    async with rt.db.sessionmaker() as session:
        episode = await episodes.get(session=session, episode_id=int(ctx.params["episode_id"]))
        await episode_runs.ensure_scenes_current(session=session, episode=episode, kind=ctx.kind)
        project = await session.get(Project, episode.project_id)
        linked = [scene for _, scene in await episodes.scenes_of(session=session, episode_id=episode.id)]
    assert project is not None
    if not linked:
        raise Invalid("the episode has no scenes: add scenes first")
    ready = [(s, rt.paths.inside(s.output_path)) for s in linked if s.output_path]
    ready = [(s, p) for s, p in ready if p.is_file()]
    missing = [s.title for s in linked if s not in [r[0] for r in ready]]
    if not ready:
        raise Invalid(f"no scene of the episode has a video yet (missing: {', '.join(missing)})")
    stem = output_stem(rt.paths, project, episode)
    stem.parent.mkdir(parents=True, exist_ok=True)
    cues = exports.episode_cues(
        [(s, rt.paths.inside(s.subtitles_path) if s.subtitles_path else None) for s, _ in ready]
    )
    srt = stem.with_suffix(".srt")
    await asyncio.to_thread(write_atomic, srt, to_srt(cues).encode())
    await asyncio.to_thread(write_atomic, stem.with_suffix(".vtt"), to_vtt(cues).encode())
    output = stem.with_suffix(".mp4")
    job = assembly.EpisodeBuild(
        sources=[p for _, p in ready],
        output=output,
        subtitles=srt if cues else None,
        known=[recorded(p, s.generation.get("media")) for s, p in ready],
        title=f"{project.name} S{episode.season:02d}E{episode.number:02d} - {episode.title}",
    )
    summary = await assembly.build(job, progress=ctx.span(0.0, 0.95))
    thumb = await asyncio.to_thread(assembly.write_thumbnail, output, stem.with_name(f"{stem.name}_thumb.jpg"))
    info = probe(output)
    async with rt.db.transaction() as session:
        row = await episodes.get(session=session, episode_id=episode.id)
        contents = await gates.contents(session=session, scene_ids=[s.id for s, _ in ready])
        version = await versions.record(
            session=session,
            paths=rt.paths,
            made=versions.Made(
                subject_type="episode",
                subject_id=episode.id,
                project_id=project.id,
                file=output,
                run_id=ctx.run_id,
                companions={"subtitles": srt, "webvtt": stem.with_suffix(".vtt")},
                provenance={"contents": contents},
                engine="ffmpeg",
                duration=round(info.duration, 3),
                # the scenes' own rate: a container's average rate drifts with the audio's length
                fps=contents[0]["fps"] if contents else None,
            ),
        )
        row.status, row.duration = "assembled", round(info.duration, 3)
        row.output_path, row.thumbnail_path = version.path, rt.paths.relative(thumb)
        await assets.record(
            session=session,
            paths=rt.paths,
            file=rt.paths.inside(version.path),
            project_id=project.id,
            kind=AssetKind.episode,
            width=info.width,
            height=info.height,
            duration=info.duration,
            episode_id=episode.id,
            run_id=ctx.run_id,
            provenance={"scenes": [s.id for s, _ in ready], **summary, "music_credits": _music_credits(ready)},
        )
        emit(session, names.EPISODE_UPDATED, {"episode_id": episode.id, "status": row.status})
    return {
        **summary,
        "output": version.path,
        "scenes_included": len(ready),
        "scenes_missing": missing,
        "subtitle_cues": len(cues),
        "music_credits": _music_credits(ready),
    }


def _music_credits(ready: list[tuple[Scene, Path]]) -> list[dict[str, Any]]:
    """Attribution of every licensed track the episode plays (Apple Music previews), scene by scene."""
    found = []
    for scene, _ in ready:
        credits = (scene.generation.get("music") or {}).get("credits")
        if isinstance(credits, dict) and credits:
            found.append({"scene_id": scene.id, "scene": scene.title, **credits})
    return found


@run_kind("episode.publish", max_attempts=3, description="Publish an assembled episode to the media library")
async def publish(ctx: RunContext) -> dict[str, Any]:
    """Hand the episode, its thumbnail, poster and subtitles to the publish engine (folder / Jellyfin)."""
    rt = ctx.runtime
    async with rt.db.sessionmaker() as session:
        episode = await episodes.get(session=session, episode_id=int(ctx.params["episode_id"]))
        await episode_runs.ensure_scenes_current(session=session, episode=episode, kind=ctx.kind)
        project = await session.get(Project, episode.project_id)
        cut = await gates.cut_of(session=session, episode=episode)
    assert project is not None
    video = rt.paths.inside(episode.output_path) if episode.output_path else None
    if video is None or not video.is_file():
        raise Invalid("assemble the episode before publishing it")
    thumb = rt.paths.inside(episode.thumbnail_path) if episode.thumbnail_path else None
    subtitles = {"en": video.with_suffix(".srt")} if video.with_suffix(".srt").is_file() else {}
    publication = EpisodePublication(
        series_title=project.name,
        season=int(ctx.params.get("season") or episode.season),
        episode=episode.number,
        title=episode.title,
        video_path=video,
        description=episode.description or episode.story_arc,
        series_description=project.description or project.premise,
        genre=project.genre,
        content_rating=project.content_rating,
        aired=date.today(),
        thumbnail_path=thumb,
        subtitle_paths=subtitles,
        versions=tuple(cut),
    )
    await ctx.progress(0.1, f"publishing with {rt.engines.publish.name}")
    result = await rt.engines.publish.publish(publication)
    async with rt.db.transaction() as session:
        row = await episodes.get(session=session, episode_id=episode.id)
        row.status, row.publish_path, row.published_at = "published", str(result.video_path), datetime.now(UTC)
        emit(session, names.EPISODE_UPDATED, {"episode_id": episode.id, "status": row.status})
    return {
        "published_path": str(result.video_path),
        "files": [str(f) for f in result.files],
        "library_refreshed": result.library_refreshed,
        "detail": result.detail,
        "versions": cut,
    }
