"""Episode exports: subtitles gathered from its scenes, and an OpenTimelineIO timeline."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import opentimelineio as otio

from anime_studio.media.subtitles import Cue, parse_srt
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.pipeline.timeline import build as build_timeline

OTIO_TRANSITIONS = {"dissolve": "SMPTE_Dissolve", "fade": "FadeThroughBlack", "wipe": "Wipe"}


def episode_cues(scenes: list[tuple[Scene, Path | None]]) -> list[Cue]:
    """Each scene's cues shifted to where the scene starts in the episode."""
    cues, offset = [], 0.0
    for scene, srt in scenes:
        if srt is not None and srt.is_file():
            cues += [c.shifted(offset) for c in parse_srt(srt.read_text(encoding="utf-8"))]
        offset += scene.duration or 0.0
    return cues


@dataclass(frozen=True)
class SceneCut:
    scene: Scene
    shots: list[tuple[Shot, Path, float]]  # shot, clip file, clip duration
    cues: list[Cue]


def _rt(seconds: float, fps: float) -> otio.opentime.RationalTime:
    return otio.opentime.RationalTime(round(seconds * fps), fps)


def timeline(title: str, fps: float, cuts: list[SceneCut]) -> otio.schema.Timeline:
    """Video track of shot clips with their crossfades (centred, on media handles) and dialogue markers."""
    track = otio.schema.Track(name="Video", kind=otio.schema.TrackKind.Video)
    for cut in cuts:
        origin = track.duration().to_seconds()
        _append_scene(track, cut, fps)
        for cue in cut.cues:
            track.markers.append(
                otio.schema.Marker(
                    name=cue.line,
                    marked_range=otio.opentime.TimeRange(_rt(origin + cue.start, fps), _rt(cue.end - cue.start, fps)),
                    color=otio.schema.MarkerColor.YELLOW,
                    metadata={"anime_studio": {"kind": "dialogue", "speaker": cue.speaker, "scene_id": cut.scene.id}},
                )
            )
    result = otio.schema.Timeline(name=title, global_start_time=_rt(0, fps))
    result.tracks.append(track)
    return result


def _append_scene(track: otio.schema.Track, cut: SceneCut, fps: float) -> None:
    if not cut.shots:
        return
    layout = build_timeline(
        [d for _, _, d in cut.shots], [(s.transition_type, s.transition_duration) for s, _, _ in cut.shots]
    )
    halves = [0.0] + [j.duration / 2 for j in layout.joins] + [0.0]
    for index, (shot, clip_path, duration) in enumerate(cut.shots):
        join = layout.joins[index - 1] if index > 0 else None
        if join is not None and join.kind != "cut":
            half = _rt(join.duration / 2, fps)
            kind = OTIO_TRANSITIONS.get(join.kind, "SMPTE_Dissolve")
            track.append(otio.schema.Transition(name=join.kind, transition_type=kind, in_offset=half, out_offset=half))
        start, end = halves[index], duration - halves[index + 1]
        track.append(
            otio.schema.Clip(
                name=f"{cut.scene.title} · shot {shot.position}",
                media_reference=otio.schema.ExternalReference(
                    target_url=clip_path.resolve().as_uri(),
                    available_range=otio.opentime.TimeRange(_rt(0, fps), _rt(duration, fps)),
                ),
                source_range=otio.opentime.TimeRange(_rt(start, fps), _rt(end - start, fps)),
                metadata={"anime_studio": {"scene_id": cut.scene.id, "shot_id": shot.id, "shot_type": shot.shot_type}},
            )
        )
