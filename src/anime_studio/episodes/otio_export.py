"""Gather an episode's scenes, shots, dialogue and music from the database into an OTIO timeline document."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
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
from anime_studio.scenes.models import Scene
from anime_studio.scenes.schemas import MusicSettings


async def episode_timeline(*, session: AsyncSession, paths: MediaPaths, episode: Episode) -> str:
    """The OTIO JSON of the episode's generated scenes: shots, dialogue and music, frame-exact to the episode file."""
    project = await session.get(Project, episode.project_id)
    assert project is not None
    fps = float((await characters.project_style(session=session, project_id=project.id)).fps)
    cuts = []
    for _, scene in await episodes.scenes_of(session=session, episode_id=episode.id):
        scene_file = _file(paths, scene.output_path)
        if scene_file is not None:
            cuts.append(await _scene_cut(session, paths, scene, scene_file, fps))
    if not cuts:
        raise Invalid("no scene of the episode has been generated yet")
    title = f"{project.name} S{episode.season:02d}E{episode.number:02d} - {episode.title}"
    timeline = exports.timeline(title, fps, cuts)
    text: str = otio.adapters.write_to_string(timeline, "otio_json")
    return text


async def _scene_cut(
    session: AsyncSession, paths: MediaPaths, scene: Scene, scene_file: Path, fps: float
) -> exports.SceneCut:
    shot_files = []
    for shot in await scenes.shots_of(session=session, scene_id=scene.id):
        clip = _file(paths, shot.output_path)
        if clip is not None and shot.id in scene.generation.get("assembled_shots", [shot.id]):
            shot_files.append((shot, clip, await _duration(clip)))
    srt = _file(paths, scene.subtitles_path)
    stem = _file(paths, scene.dialogue_audio_path)
    return exports.SceneCut(
        scene=scene,
        frames=await asyncio.to_thread(_video_frames, scene_file, fps),
        shots=shot_files,
        cues=parse_srt(srt.read_text(encoding="utf-8")) if srt is not None else [],
        dialogue=(stem, await _duration(stem)) if stem is not None else None,
        music=await _music(paths, scene, scene_file),
    )


async def _music(paths: MediaPaths, scene: Scene, scene_file: Path) -> exports.Music | None:
    """The bed recorded when the scene was mixed (scenes mixed before that was recorded: the assigned
    track, else the newest generated bed no younger than the scene file)."""
    used = scene.generation.get("music")
    if not isinstance(used, dict):
        settings = MusicSettings(**scene.music).model_dump()
        if scene.music_path:
            used = {"path": scene.music_path, **settings}
        else:
            bed = await asyncio.to_thread(_generated_bed, scene_file)
            used = {"path": paths.relative(bed) if bed else None, **settings, "start_offset": 0.0}
    path = _file(paths, used.get("path"))
    if path is None:
        return None
    levels = {key: float(used[key]) for key in ("start_offset", "volume", "fade_in", "fade_out") if key in used}
    return exports.Music(path=path, duration=await _duration(path), **levels)


def _generated_bed(scene_file: Path) -> Path | None:
    made = scene_file.stat().st_mtime_ns
    beds = [p for p in scene_file.with_suffix("").glob("music_*.wav") if p.stat().st_mtime_ns <= made]
    return max(beds, key=lambda p: p.stat().st_mtime_ns, default=None)


def _file(paths: MediaPaths, relative: object) -> Path | None:
    if not isinstance(relative, str) or not relative:
        return None
    path = paths.inside(relative)
    return path if path.is_file() else None


async def _duration(path: Path) -> float:
    return (await asyncio.to_thread(probe, path)).duration


def _video_frames(path: Path, fps: float) -> int:
    """Frames of the file's video stream (its container duration can include a longer audio stream)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        if stream.frames:
            return int(stream.frames)
        seconds = float(stream.duration * stream.time_base) if stream.duration and stream.time_base else 0.0
        return round((seconds or probe(path).duration) * fps)
