"""Assemble a scene: shot clips joined with their transitions, dialogue at shot starts, music under it, subtitles.

Two routes to the same file. The smart render (``smart``) encodes only the transition windows and copies
every other frame; it needs clips in the studio's H.264 dialect. Anything else (an upload, a foreign codec
or size, a clip without IDR frames at its transitions) takes the full render: ONE ffmpeg run that decodes,
blends and re-encodes everything. The choice is per scene and automatic.
"""

from __future__ import annotations

import asyncio
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from anime_studio.engines.base import Progress, no_progress
from anime_studio.media.ffmpeg import HOUSE_CRF, HOUSE_PRESET, run_ffmpeg
from anime_studio.media.probe import MediaInfo
from anime_studio.scenes.pipeline import smart
from anime_studio.scenes.pipeline.packets import NotCopyable
from anime_studio.scenes.pipeline.smart import XFADE
from anime_studio.scenes.pipeline.timeline import Timeline

log = logging.getLogger(__name__)
SAMPLE_RATE = 48000


@dataclass(frozen=True)
class DialogueClip:
    path: Path
    start: float
    gain_db: float = 0.0
    """Levels every line to the same loudness, so "dialogue 100 %" means dialogue at programme level."""


@dataclass(frozen=True)
class MusicBed:
    path: Path
    volume: float = 0.3
    fade_in: float = 1.0
    fade_out: float = 2.0
    start_offset: float = 0.0


@dataclass(frozen=True)
class Encoding:
    width: int
    height: int
    fps: int
    preset: str = "veryfast"
    crf: int = 20
    audio_bitrate: str = "160k"
    clip_preset: str = HOUSE_PRESET
    clip_crf: int = HOUSE_CRF
    """What the shot clips were encoded with: smart rendering encodes its transition windows the same way."""


@dataclass
class SceneMix:
    clips: list[Path]
    clip_info: list[MediaInfo]
    timeline: Timeline
    encoding: Encoding
    dialogue: list[DialogueClip] = field(default_factory=list)
    music: MusicBed | None = None
    subtitles: Path | None = None
    """An SRT muxed in as a ``mov_text`` track (the sidecar file stays the editable copy)."""


def _needs_normalising(info: MediaInfo, encoding: Encoding) -> bool:
    return (
        (info.width, info.height) != (encoding.width, encoding.height)
        or abs(info.fps - encoding.fps) > 0.01
        or info.pix_fmt != "yuv420p"
    )


def _video_graph(mix: SceneMix) -> list[str]:
    enc, parts = mix.encoding, []
    labels = []
    for i, info in enumerate(mix.clip_info):
        # xfade needs identical size, rate and time base on both inputs: normalise only what differs.
        fix = ""
        if _needs_normalising(info, enc):
            fix = (
                f"scale={enc.width}:{enc.height}:force_original_aspect_ratio=decrease,"
                f"pad={enc.width}:{enc.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={enc.fps},format=yuv420p,"
            )
        parts.append(f"[{i}:v]{fix}settb=AVTB[n{i}]")
        labels.append(f"[n{i}]")
    current = labels[0]
    for join in mix.timeline.joins:
        out = f"[x{join.index}]"
        if join.kind == "cut":
            parts.append(f"{current}{labels[join.index]}concat=n=2:v=1:a=0{out}")
        else:
            offset = mix.timeline.starts[join.index]
            parts.append(
                f"{current}{labels[join.index]}xfade=transition={XFADE[join.kind]}:"
                f"duration={join.duration:.3f}:offset={offset:.3f}{out}"
            )
        current = out
    parts.append(f"{current}format=yuv420p[vout]")
    return parts


def _audio_graph(mix: SceneMix, first_audio_input: int, *, stem: bool) -> tuple[list[str], bool]:
    """Dialogue delayed to its shot, music trimmed/faded at its volume, mixed to exactly the scene length."""
    total, parts, voices = mix.timeline.total, [], []
    for n, clip in enumerate(mix.dialogue):
        delay = max(0, round(clip.start * 1000))
        gain = f"volume={clip.gain_db:.2f}dB," if clip.gain_db else ""
        parts.append(f"[{first_audio_input + n}:a]aresample={SAMPLE_RATE},{gain}adelay={delay}:all=1[d{n}]")
        voices.append(f"[d{n}]")
    has_stem = bool(voices) and stem
    if voices:
        split = ",asplit=2[dmix][dstem]" if has_stem else "[dmix]"
        parts.append(f"{''.join(voices)}amix=inputs={len(voices)}:normalize=0:duration=longest{split}")
    beds = ["[dmix]"] if voices else []
    if mix.music is not None:
        m, index = mix.music, first_audio_input + len(mix.dialogue)
        fade_out_start = max(0.0, total - m.fade_out)
        parts.append(
            f"[{index}:a]aresample={SAMPLE_RATE},atrim=start={m.start_offset:.3f},asetpts=PTS-STARTPTS,"
            f"volume={m.volume:.3f},afade=t=in:d={m.fade_in:.3f},"
            f"afade=t=out:st={fade_out_start:.3f}:d={m.fade_out:.3f}[mus]"
        )
        beds.append("[mus]")
    if not beds:
        parts.append(f"anullsrc=r={SAMPLE_RATE}:cl=stereo[silence]")
        beds.append("[silence]")
    mixer = f"{''.join(beds)}amix=inputs={len(beds)}:normalize=0:duration=longest," if len(beds) > 1 else f"{beds[0]}"
    parts.append(f"{mixer}aformat=channel_layouts=stereo,apad=whole_dur={total:.3f},atrim=end={total:.3f}[aout]")
    return parts, has_stem


def _inputs(mix: SceneMix) -> list[str]:
    args: list[str] = []
    for line in mix.dialogue:
        args += ["-i", str(line.path)]
    if mix.music is not None:
        args += ["-i", str(mix.music.path)]
    return args


def _subtitle_args(mix: SceneMix, input_number: int) -> list[str]:
    if mix.subtitles is None:
        return []
    return ["-map", f"{input_number}:s", "-c:s", "mov_text", "-metadata:s:s:0", "language=eng"]


def _audio_codec(mix: SceneMix) -> list[str]:
    return ["-c:a", "aac", "-b:a", mix.encoding.audio_bitrate, "-ar", str(SAMPLE_RATE), "-ac", "2"]


def command(mix: SceneMix, output: Path, dialogue_stem: Path | None = None) -> list[str]:
    """The full render's ffmpeg argument list (without the ``ffmpeg`` executable)."""
    args: list[str] = []
    for clip in mix.clips:
        args += ["-i", str(clip)]
    args += _inputs(mix)
    extra = len(args) // 2
    if mix.subtitles is not None:
        args += ["-i", str(mix.subtitles)]
    audio_parts, has_stem = _audio_graph(mix, len(mix.clips), stem=dialogue_stem is not None)
    args += ["-filter_complex", ";".join(_video_graph(mix) + audio_parts)]
    enc = mix.encoding
    args += ["-map", "[vout]", "-map", "[aout]", *_subtitle_args(mix, extra)]
    args += ["-c:v", "libx264", "-preset", enc.preset, "-crf", str(enc.crf)]
    args += ["-pix_fmt", "yuv420p", "-r", str(enc.fps), *_audio_codec(mix)]
    args += ["-movflags", "+faststart", "-t", f"{mix.timeline.total:.3f}"]
    args.append(str(output))
    if has_stem and dialogue_stem is not None:
        args += ["-map", "[dstem]", "-c:a", "pcm_s16le", str(dialogue_stem)]
    return args


def mixdown_command(mix: SceneMix, output: Path, dialogue_stem: Path | None = None) -> list[str]:
    """The sound alone (dialogue 100 %, music bed with its fades), AAC to ``output``, for the smart render."""
    audio_parts, has_stem = _audio_graph(mix, 0, stem=dialogue_stem is not None)
    args = [*_inputs(mix), "-filter_complex", ";".join(audio_parts), "-map", "[aout]", *_audio_codec(mix)]
    args += [str(output)]
    if has_stem and dialogue_stem is not None:
        args += ["-map", "[dstem]", "-c:a", "pcm_s16le", str(dialogue_stem)]
    return args


def _copyable(mix: SceneMix) -> None:
    """``NotCopyable`` unless the clips and the timeline allow a frame-exact smart render."""
    enc = mix.encoding
    for path, info in zip(mix.clips, mix.clip_info, strict=True):
        if info.video_codec != "h264" or _needs_normalising(info, enc):
            raise NotCopyable(f"{path.name}: {info.video_codec} {info.width}x{info.height} at {info.fps:g} fps")
    for seconds in [*mix.timeline.durations, *(j.duration for j in mix.timeline.joins)]:
        if abs(seconds * enc.fps - round(seconds * enc.fps)) > 1e-3:
            raise NotCopyable(f"timeline is not on whole frames at {enc.fps} fps")


async def _smart(mix: SceneMix, output: Path, stem: Path | None, progress: Progress) -> None:
    _copyable(mix)
    enc = mix.encoding
    with tempfile.TemporaryDirectory(prefix=".scene-", dir=output.parent) as tmp:
        video, sound = Path(tmp) / "video.mp4", Path(tmp) / "sound.m4a"
        frames, _ = await asyncio.gather(
            smart.render_video(
                mix.clips,
                mix.timeline.joins,
                fps=enc.fps,
                preset=enc.clip_preset,
                crf=enc.clip_crf,
                output=video,
                progress=progress,
            ),
            run_ffmpeg(mixdown_command(mix, sound, stem)),
        )
        if frames != round(mix.timeline.total * enc.fps):
            raise NotCopyable(f"joined {frames} frames, the timeline has {mix.timeline.total * enc.fps:g}")
        args = ["-i", str(video), "-i", str(sound)]
        if mix.subtitles is not None:
            args += ["-i", str(mix.subtitles)]
        args += ["-map", "0:v", "-map", "1:a", *_subtitle_args(mix, 2), "-c:v", "copy", "-c:a", "copy"]
        await run_ffmpeg([*args, "-movflags", "+faststart", str(output)])
    await progress(1.0, "joined")


async def render(
    mix: SceneMix, output: Path, *, dialogue_stem: Path | None = None, progress: Progress | None = None
) -> str:
    """Assemble ``mix`` into ``output`` by the smart render, else the full one; returns which ("smart"/"full").

    Writes to temporary names and renames, so ``output`` (and the stem) are never half-written.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    temporary = output.with_name(f".{output.stem}.partial{output.suffix}")
    stem_tmp = dialogue_stem.with_name(f".{dialogue_stem.name}") if dialogue_stem else None
    report = progress or no_progress
    try:
        try:
            await _smart(mix, temporary, stem_tmp, report)
            route = "smart"
        except NotCopyable as reason:
            log.info("scene assembly takes the full render: %s", reason)
            await run_ffmpeg(command(mix, temporary, stem_tmp), expected_duration=mix.timeline.total, progress=progress)
            route = "full"
        temporary.replace(output)
        if stem_tmp is not None and dialogue_stem is not None and stem_tmp.exists():
            stem_tmp.replace(dialogue_stem)
    finally:
        temporary.unlink(missing_ok=True)
        if stem_tmp is not None:
            stem_tmp.unlink(missing_ok=True)
    return route
