"""Gather an episode's scenes and shots from the database into an OTIO timeline document."""

from __future__ import annotations

import asyncio

import opentimelineio as otio
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.characters import service as characters
from anime_studio.episodes import exports
from anime_studio.episodes import service as episodes
from anime_studio.episodes.models import Episode
from anime_studio.errors import Invalid
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import parse_srt
from anime_studio.projects.models import Project
from anime_studio.scenes import service as scenes


async def episode_timeline(*, session: AsyncSession, paths: MediaPaths, episode: Episode) -> str:
    """The OTIO JSON of the episode's generated shots (only scenes that have been assembled)."""
    project = await session.get(Project, episode.project_id)
    assert project is not None
    style = await characters.project_style(session=session, project_id=project.id)
    cuts = []
    for _, scene in await episodes.scenes_of(session=session, episode_id=episode.id):
        if not scene.output_path:
            continue
        shot_files = []
        for shot in await scenes.shots_of(session=session, scene_id=scene.id):
            clip = paths.inside(shot.output_path) if shot.output_path else None
            if clip is not None and clip.is_file() and shot.id in scene.generation.get("assembled_shots", [shot.id]):
                shot_files.append((shot, clip, (await asyncio.to_thread(probe, clip)).duration))
        srt = paths.inside(scene.subtitles_path) if scene.subtitles_path else None
        cues = parse_srt(srt.read_text(encoding="utf-8")) if srt is not None and srt.is_file() else []
        cuts.append(exports.SceneCut(scene=scene, shots=shot_files, cues=cues))
    if not cuts:
        raise Invalid("no scene of the episode has been generated yet")
    title = f"{project.name} S{episode.season:02d}E{episode.number:02d} - {episode.title}"
    timeline = exports.timeline(title, float(style.fps), cuts)
    text: str = otio.adapters.write_to_string(timeline, "otio_json")
    return text
