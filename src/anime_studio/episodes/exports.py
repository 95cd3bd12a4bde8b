"""Episode exports: subtitles gathered from its scenes, and an OpenTimelineIO timeline.

The timeline is laid out in whole frames from the scene files themselves: each scene occupies
exactly as many frames as its file has (the episode file is those files one after another), and
inside a scene the shot cuts sit at the centres of its crossfades, each rounded to the frame once.
Rounding every clip on its own instead drifts a frame or more per scene.
"""

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
class Music:
    """The music bed a scene was mixed with, and how."""

    path: Path
    duration: float
    start_offset: float = 0.0
    volume: float = 1.0
    fade_in: float = 0.0
    fade_out: float = 0.0


@dataclass(frozen=True)
class SceneCut:
    scene: Scene
    frames: int  # video frames of the scene file
    shots: list[tuple[Shot, Path, float]]  # shot, clip file, clip duration
    cues: list[Cue]
    dialogue: tuple[Path, float] | None = None  # the scene's dialogue stem and its duration
    music: Music | None = None


class _Frames:
    def __init__(self, fps: float) -> None:
        self.fps = fps

    def of(self, seconds: float) -> int:
        return round(seconds * self.fps)

    def time(self, frames: int) -> otio.opentime.RationalTime:
        return otio.opentime.RationalTime(frames, self.fps)

    def span(self, start: int, length: int) -> otio.opentime.TimeRange:
        return otio.opentime.TimeRange(self.time(start), self.time(length))


def timeline(title: str, fps: float, cuts: list[SceneCut]) -> otio.schema.Timeline:
    """Video (shots with their crossfades, dialogue markers), Dialogue and Music tracks, frame-exact per scene."""
    grid = _Frames(fps)
    video = otio.schema.Track(name="Video", kind=otio.schema.TrackKind.Video)
    dialogue = otio.schema.Track(name="Dialogue", kind=otio.schema.TrackKind.Audio)
    music = otio.schema.Track(name="Music", kind=otio.schema.TrackKind.Audio)
    origin = 0
    for cut in cuts:
        _append_shots(video, cut, grid)
        _mark_lines(video, cut, grid, origin)
        _append_dialogue(dialogue, cut, grid)
        _append_music(music, cut, grid)
        origin += cut.frames
    result = otio.schema.Timeline(name=title, global_start_time=grid.time(0))
    result.tracks.extend([video, dialogue, music])
    return result


def _append_shots(track: otio.schema.Track, cut: SceneCut, grid: _Frames) -> None:
    if not cut.shots:
        track.append(otio.schema.Gap(source_range=grid.span(0, cut.frames)))
        return
    layout = build_timeline(
        [d for _, _, d in cut.shots], [(s.transition_type, s.transition_duration) for s, _, _ in cut.shots]
    )
    # Cut k (k ≥ 1) is the centre of clip k's entrance; the last clip runs to the scene file's end.
    centres = [layout.starts[j.index] + j.duration / 2 for j in layout.joins]
    edges = [0, *(grid.of(c) for c in centres), cut.frames]
    for index, (shot, clip_path, duration) in enumerate(cut.shots):
        length, available = edges[index + 1] - edges[index], grid.of(duration)
        start = max(0, min(edges[index] - grid.of(layout.starts[index]), available - length))
        join = layout.joins[index - 1] if index > 0 else None
        if join is not None and join.kind != "cut":
            entrance = grid.of(layout.starts[index])
            track.append(
                otio.schema.Transition(
                    name=join.kind,
                    transition_type=OTIO_TRANSITIONS.get(join.kind, "SMPTE_Dissolve"),
                    in_offset=grid.time(edges[index] - entrance),
                    out_offset=grid.time(grid.of(layout.starts[index] + join.duration) - edges[index]),
                )
            )
        track.append(
            otio.schema.Clip(
                name=f"{cut.scene.title} · shot {shot.position}",
                media_reference=_media(clip_path, grid.span(0, max(available, start + length))),
                source_range=grid.span(start, length),
                metadata={"anime_studio": {"scene_id": cut.scene.id, "shot_id": shot.id, "shot_type": shot.shot_type}},
            )
        )


def _mark_lines(track: otio.schema.Track, cut: SceneCut, grid: _Frames, origin: int) -> None:
    for cue in cut.cues:
        start = grid.of(cue.start)
        track.markers.append(
            otio.schema.Marker(
                name=cue.line,
                marked_range=grid.span(origin + start, grid.of(cue.end) - start),
                color=otio.schema.MarkerColor.YELLOW,
                metadata={"anime_studio": {"kind": "dialogue", "speaker": cue.speaker, "scene_id": cut.scene.id}},
            )
        )


def _append_dialogue(track: otio.schema.Track, cut: SceneCut, grid: _Frames) -> None:
    """One clip per line (overlapping lines as one), cut from the scene's dialogue stem at the line's own time."""
    position = 0
    if cut.dialogue is not None:
        stem, duration = cut.dialogue
        available = grid.span(0, grid.of(duration))
        for start, end, lines in _spans(cut.cues, grid, cut.frames):
            if start > position:
                track.append(otio.schema.Gap(source_range=grid.span(0, start - position)))
            track.append(
                otio.schema.Clip(
                    name=" / ".join(c.line for c in lines),
                    media_reference=_media(stem, available),
                    source_range=grid.span(start, end - start),
                    metadata={"anime_studio": {"scene_id": cut.scene.id, "kind": "dialogue"}},
                )
            )
            position = end
    if cut.frames > position:
        track.append(otio.schema.Gap(source_range=grid.span(0, cut.frames - position)))


def _spans(cues: list[Cue], grid: _Frames, limit: int) -> list[tuple[int, int, list[Cue]]]:
    """Frame spans of the lines inside the scene, overlapping ones merged."""
    spans: list[tuple[int, int, list[Cue]]] = []
    for cue in sorted(cues, key=lambda c: c.start):
        start, end = grid.of(cue.start), min(grid.of(cue.end), limit)
        if end <= start:
            continue
        if spans and start <= spans[-1][1]:
            first, last, lines = spans[-1]
            spans[-1] = (first, max(last, end), [*lines, cue])
        else:
            spans.append((start, end, [cue]))
    return spans


def _append_music(track: otio.schema.Track, cut: SceneCut, grid: _Frames) -> None:
    """The scene's bed from its offset, as long as the scene (or the track, if shorter)."""
    length = 0
    if cut.music is not None:
        bed = cut.music
        offset = grid.of(bed.start_offset)
        length = max(0, min(cut.frames, grid.of(bed.duration) - offset))
        if length:
            levels = {"volume": bed.volume, "fade_in": bed.fade_in, "fade_out": bed.fade_out}
            track.append(
                otio.schema.Clip(
                    name=f"{cut.scene.title} · music",
                    media_reference=_media(bed.path, grid.span(0, grid.of(bed.duration))),
                    source_range=grid.span(offset, length),
                    metadata={"anime_studio": {"scene_id": cut.scene.id, "kind": "music", **levels}},
                )
            )
    if cut.frames > length:
        track.append(otio.schema.Gap(source_range=grid.span(0, cut.frames - length)))


def _media(path: Path, available: otio.opentime.TimeRange) -> otio.schema.ExternalReference:
    return otio.schema.ExternalReference(target_url=path.resolve().as_uri(), available_range=available)
