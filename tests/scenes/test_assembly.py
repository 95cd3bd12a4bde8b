"""Scene assembly: timeline math, one-command xfade + dialogue + music, subtitles."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue, parse_srt, to_srt, to_vtt
from anime_studio.scenes.pipeline import assemble, timeline


def test_timeline_overlaps_transitions_and_caps_them() -> None:
    t = timeline.build([4.0, 3.0, 1.0, 2.0], [("cut", 0), ("dissolve", 0.3), ("wipe", 2.0), ("cut", 0.5)])
    assert [j.kind for j in t.joins] == ["dissolve", "wipe", "cut"]
    assert [j.duration for j in t.joins] == [0.3, 0.4, 0.0]  # the wipe is capped at 40 % of the 1 s clip
    assert t.starts == [0.0, 3.7, 6.3, 7.3]
    assert t.total == pytest.approx(4 + 3 + 1 + 2 - 0.3 - 0.4)
    assert timeline.dialogue_start(t, 1) == pytest.approx(3.7 + 0.3 + 0.25)


def test_subtitles_round_trip() -> None:
    cues = [Cue(1.25, 3.5, "Where is the lighthouse?", "Hana"), Cue(3661.0, 3662.5, "Over there.")]
    srt = to_srt(cues)
    assert "00:00:01,250 --> 00:00:03,500\nHana: Where is the lighthouse?" in srt
    assert "01:01:01,000 --> 01:01:02,500" in srt
    assert to_vtt(cues).startswith("WEBVTT\n\n00:00:01.250 --> 00:00:03.500")
    assert parse_srt(srt) == cues


def _clip(path: Path, seconds: float, color: str, size: str = "320x180", rate: int = 24) -> Path:
    subprocess.run(
        [
            ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"color=c={color}:s={size}:r={rate}",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path


def _tone(path: Path, seconds: float, freq: int) -> Path:
    subprocess.run(
        [
            ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"sine=frequency={freq}:sample_rate=22050",
            "-t",
            str(seconds),
            str(path),
        ],
        check=True,
    )
    return path


def _rms_at(path: Path, start: float, end: float) -> float:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate, channels = stream.rate, stream.layout.nb_channels
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        samples = np.concatenate(
            [r.to_ndarray().reshape(-1) for f in container.decode(stream) for r in resampler.resample(f)]
        )
    assert channels in (1, 2)
    window = samples[int(start * rate) : int(end * rate)]
    return float(np.sqrt(np.mean(window**2)))


async def test_assembly_gives_exact_length_dialogue_at_shot_starts_and_quiet_music(tmp_path: Path) -> None:
    clips = [_clip(tmp_path / "a.mp4", 2.0, "red"), _clip(tmp_path / "b.mp4", 2.0, "blue", size="640x360", rate=30)]
    clips.append(_clip(tmp_path / "c.mp4", 2.0, "green"))
    t = timeline.build([2.0, 2.0, 2.0], [("cut", 0), ("dissolve", 0.3), ("cut", 0)])
    line = _tone(tmp_path / "line.wav", 0.6, 440)
    music = _tone(tmp_path / "music.wav", 10.0, 220)
    mix = assemble.SceneMix(
        clips=clips,
        clip_info=[probe(c) for c in clips],
        timeline=t,
        encoding=assemble.Encoding(width=320, height=180, fps=24),
        dialogue=[assemble.DialogueClip(line, timeline.dialogue_start(t, 1))],
        music=assemble.MusicBed(music, volume=0.3, fade_in=0.2, fade_out=0.5),
    )
    output, stem = tmp_path / "scene.mp4", tmp_path / "dialogue.wav"
    await assemble.render(mix, output, dialogue_stem=stem)
    info = probe(output)
    assert info.duration == pytest.approx(5.7, abs=0.06)
    assert (info.width, info.height, round(info.fps)) == (320, 180, 24)
    assert info.video_codec == "h264" and info.pix_fmt == "yuv420p" and info.audio_codec == "aac"
    start = timeline.dialogue_start(t, 1)
    assert _rms_at(stem, start + 0.05, start + 0.5) > 0.05  # lavfi sine: amplitude 1/8
    assert _rms_at(stem, 0.0, start - 0.1) < 0.001
    music_only = _rms_at(output, 0.5, 1.5)
    with_dialogue = _rms_at(output, start + 0.1, start + 0.5)
    assert 0.01 < music_only < with_dialogue
    assert not list(tmp_path.glob(".*partial*"))


async def test_assembly_without_audio_sources_still_has_an_audio_track(tmp_path: Path) -> None:
    clip = _clip(tmp_path / "only.mp4", 1.5, "white")
    mix = assemble.SceneMix(
        clips=[clip],
        clip_info=[probe(clip)],
        timeline=timeline.build([1.5], [("cut", 0)]),
        encoding=assemble.Encoding(width=320, height=180, fps=24),
    )
    await assemble.render(mix, tmp_path / "silent.mp4")
    info = probe(tmp_path / "silent.mp4")
    assert info.has_audio and info.duration == pytest.approx(1.5, abs=0.06)


async def test_dialogue_without_a_stem_output(tmp_path: Path) -> None:
    clip = _clip(tmp_path / "c.mp4", 1.5, "white")
    line = _tone(tmp_path / "l.wav", 0.5, 500)
    layout = timeline.build([1.5], [("cut", 0)])
    mix = assemble.SceneMix(
        clips=[clip],
        clip_info=[probe(clip)],
        timeline=layout,
        encoding=assemble.Encoding(width=320, height=180, fps=24),
        dialogue=[assemble.DialogueClip(line, 0.2, 6.0)],
    )
    await assemble.render(mix, tmp_path / "out.mp4")
    assert probe(tmp_path / "out.mp4").has_audio
