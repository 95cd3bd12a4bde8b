"""Smart-rendered scene assembly: exact length, copied frames bit-identical, transitions like the full render."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from anime_studio.media.ffmpeg import ffmpeg_exe, house_h264
from anime_studio.media.probe import probe
from anime_studio.scenes.pipeline import assemble, timeline

FPS, SIZE = 24, "320x180"
# Moving pictures with flat areas and soft edges, like the studio's drawn shots under a camera move.
SOURCES = (
    "gradients=seed=3:speed=0.03:",
    "gradients=c0=0x203060:c1=0xe0a040:speed=0.05:",
    "smptehdbars=",
    "gradients=seed=7:",
)
DURATIONS = [2.0, 1.5, 2.0]


def _ffmpeg(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [ffmpeg_exe(), "-y", "-hide_banner", "-nostdin", *map(str, args)]
    return subprocess.run(command, check=True, capture_output=True, text=True)


def _house_clip(path: Path, seconds: float, source: str, keyframes: tuple[float, ...]) -> Path:
    """A clip as the studio's shot engines make one: the house H.264 dialect, IDRs at its transitions."""
    _ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"{source}s={SIZE}:r={FPS}",
        "-t",
        f"{seconds}",
        *house_h264(FPS, keyframes=keyframes),
        path,
    )
    return path


def _scene(folder: Path, transitions: list[tuple[str, float]], durations: list[float] = DURATIONS) -> list[Path]:
    return [
        _house_clip(folder / f"shot{k}.mp4", d, SOURCES[k], timeline.keyframe_times(durations, transitions, k, fps=FPS))
        for k, d in enumerate(durations)
    ]


def _mix(clips: list[Path], transitions: list[tuple[str, float]], **extra: object) -> assemble.SceneMix:
    infos = [probe(c) for c in clips]
    layout = timeline.build([i.duration for i in infos], transitions, fps=FPS)
    return assemble.SceneMix(
        clips=clips,
        clip_info=infos,
        timeline=layout,
        encoding=assemble.Encoding(width=320, height=180, fps=FPS),
        **extra,  # type: ignore[arg-type]
    )


def _frames(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [f.to_ndarray(format="yuv420p") for f in container.decode(video=0)]


def _ssim(a: Path, b: Path, folder: Path) -> list[float]:
    """Per-frame SSIM (ffmpeg's ``ssim`` filter) of two files of the same length."""
    stats = folder / "ssim.log"
    _ffmpeg("-i", a, "-i", b, "-lavfi", f"ssim=stats_file={stats}", "-f", "null", "-")
    return [float(m) for m in re.findall(r"All:([0-9.]+)", stats.read_text())]


def _outside_transitions(layout: timeline.Timeline) -> list[tuple[int, int, int]]:
    """(scene frame, clip, clip frame) for every frame that no transition touches."""
    places = []
    starts = [round(s * FPS) for s in layout.starts]
    overlaps = [0] + [round(j.duration * FPS) for j in layout.joins] + [0]
    for k, duration in enumerate(layout.durations):
        for frame in range(overlaps[k], round(duration * FPS) - overlaps[k + 1]):
            places.append((starts[k] + frame, k, frame))
    return places


def _assert_decodes_cleanly_with_faststart(path: Path) -> None:
    decode = subprocess.run(
        [ffmpeg_exe(), "-v", "error", "-i", str(path), "-f", "null", "-"], capture_output=True, text=True, check=True
    )
    assert decode.stdout + decode.stderr == ""
    head = path.read_bytes()[:65536]
    assert 0 <= head.find(b"moov") < head.find(b"mdat")


@pytest.mark.parametrize("kind", ["dissolve", "fade", "wipe"])
async def test_smart_render_is_exact_and_matches_the_full_render(tmp_path: Path, kind: str) -> None:
    transitions = [("cut", 0.0), (kind, 0.3), (kind, 0.5)]
    clips = _scene(tmp_path, transitions)
    mix = _mix(clips, transitions)
    smart, full = tmp_path / "smart.mp4", tmp_path / "full.mp4"
    assert await assemble.render(mix, smart) == "smart"
    _ffmpeg(*assemble.command(mix, full))

    frames = _frames(smart)
    overlaps = [round(j.duration * FPS) for j in mix.timeline.joins]
    assert overlaps == [7, 12]  # 0.3 s is 7.2 frames: transitions snap to whole frames
    assert len(frames) == round(sum(DURATIONS) * FPS) - sum(overlaps) == len(_frames(full))
    assert probe(smart).duration == pytest.approx(mix.timeline.total, abs=0.5 / FPS)

    sources = [_frames(c) for c in clips]
    untouched = _outside_transitions(mix.timeline)
    assert len(untouched) == len(frames) - sum(overlaps)
    for scene_frame, clip, clip_frame in untouched:
        assert np.array_equal(frames[scene_frame], sources[clip][clip_frame]), (scene_frame, clip, clip_frame)

    similarity = _ssim(smart, full, tmp_path)
    assert len(similarity) == len(frames)
    kept = {scene_frame for scene_frame, _, _ in untouched}
    blended = [similarity[n] for n in range(len(frames)) if n not in kept]
    assert len(blended) == sum(overlaps) and min(blended) >= 0.98
    _assert_decodes_cleanly_with_faststart(smart)


def _packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(video=0) if p.size]


async def test_cuts_encode_nothing(tmp_path: Path) -> None:
    transitions = [("cut", 0.0)] * 3
    clips = _scene(tmp_path, transitions)
    out = tmp_path / "cuts.mp4"
    assert await assemble.render(_mix(clips, transitions), out) == "smart"
    # Every compressed frame is one of the shot clips', byte for byte, in order: nothing was re-encoded.
    assert _packets(out) == [p for c in clips for p in _packets(c)]
    _assert_decodes_cleanly_with_faststart(out)


async def test_windows_widen_to_the_nearest_idr_frames(tmp_path: Path) -> None:
    """Clips with IDRs every 10 frames but none where the transition is: the encoded window grows to them."""
    transitions = [("cut", 0.0), ("dissolve", 0.5)]
    clips = [
        _house_clip(tmp_path / f"g{k}.mp4", 2.0, SOURCES[k], tuple(n / FPS for n in range(0, 48, 10))) for k in range(2)
    ]
    mix = _mix(clips, transitions)
    out, full = tmp_path / "padded.mp4", tmp_path / "full.mp4"
    assert await assemble.render(mix, out) == "smart"
    _ffmpeg(*assemble.command(mix, full))
    frames, sources = _frames(out), [_frames(c) for c in clips]
    assert len(frames) == 96 - 12
    # Clip 0 has IDRs at 30 and 40, the dissolve starts at 36: frames 0-29 are copied, 30-47 re-encoded;
    # clip 1's dissolve ends at 12, its next IDR is 20: frames 20-47 are copied.
    for n in range(30):
        assert np.array_equal(frames[n], sources[0][n])
    for n in range(20, 48):
        assert np.array_equal(frames[36 + n], sources[1][n])
    assert min(_ssim(out, full, tmp_path)) >= 0.98


async def test_a_foreign_clip_sends_the_scene_to_the_full_render(tmp_path: Path) -> None:
    transitions = [("cut", 0.0), ("dissolve", 0.3), ("wipe", 0.5)]
    clips = _scene(tmp_path, transitions)
    # An upload: x264 defaults (no stitchable headers, no IDRs at the transitions), a different size.
    _ffmpeg("-f", "lavfi", "-i", f"testsrc=s=640x360:r={FPS}", "-t", "1.5", "-c:v", "libx264", clips[1])
    mix = _mix(clips, transitions)
    out = tmp_path / "fallback.mp4"
    assert await assemble.render(mix, out) == "full"
    assert len(_frames(out)) == round(sum(DURATIONS) * FPS) - 7 - 12
    _assert_decodes_cleanly_with_faststart(out)

    # Same size, but x264's own keyframe placement: no IDR inside the shot between its two transitions.
    _ffmpeg("-f", "lavfi", "-i", f"testsrc=s={SIZE}:r={FPS}", "-t", "1.5", *house_h264(FPS), clips[1])
    assert await assemble.render(_mix(clips, transitions), out) == "full"
    assert not list(tmp_path.glob(".*partial*")) and not list(tmp_path.glob(".smart-*"))


async def test_smart_render_mixes_sound_and_muxes_subtitles(tmp_path: Path) -> None:
    transitions = [("cut", 0.0), ("dissolve", 0.5), ("cut", 0.0)]
    clips = _scene(tmp_path, transitions)
    line, music = tmp_path / "line.wav", tmp_path / "music.wav"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=22050", "-t", "0.6", line)
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:sample_rate=22050", "-t", "10", music)
    subtitles = tmp_path / "scene.srt"
    subtitles.write_text("1\n00:00:02,000 --> 00:00:02,600\nHana: Look.\n\n")
    mix = _mix(clips, transitions, subtitles=subtitles, music=assemble.MusicBed(music, 0.3, 0.2, 0.5))
    start = timeline.dialogue_start(mix.timeline, 1)
    mix.dialogue = [assemble.DialogueClip(line, start)]
    out, stem = tmp_path / "scene.mp4", tmp_path / "dialogue.wav"
    assert await assemble.render(mix, out, dialogue_stem=stem) == "smart"
    info = probe(out)
    assert info.audio_codec == "aac" and info.subtitle_codecs == ["mov_text"]
    assert info.duration == pytest.approx(mix.timeline.total, abs=0.03)
    with av.open(str(out)) as container:
        samples = np.concatenate([f.to_ndarray()[0] for f in container.decode(audio=0)])  # left channel
    rate = 48000
    music_only = float(np.sqrt(np.mean(samples[int(0.5 * rate) : int(1.5 * rate)] ** 2)))
    with_line = float(np.sqrt(np.mean(samples[int((start + 0.1) * rate) : int((start + 0.5) * rate)] ** 2)))
    assert 0.01 < music_only < with_line
    assert stem.is_file() and probe(stem).has_audio
    _assert_decodes_cleanly_with_faststart(out)


def test_keyframes_fall_where_transitions_begin_and_end() -> None:
    durations, transitions = [2.0, 1.5, 2.0], [("cut", 0.0), ("dissolve", 0.3), ("cut", 0.0)]
    assert timeline.keyframe_times(durations, transitions, 0, fps=24) == (round(2.0 - 7 / 24, 6),)
    assert timeline.keyframe_times(durations, transitions, 1, fps=24) == (round(7 / 24, 6),)
    assert timeline.keyframe_times(durations, transitions, 2, fps=24) == ()


CHROMIUM = Path("/usr/bin/chromium")
PLAYWRIGHT = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "playwright-core"


@pytest.mark.skipif(
    not (CHROMIUM.is_file() and PLAYWRIGHT.is_dir() and shutil.which("node")),
    reason="needs Chromium and the frontend's playwright-core",
)
async def test_a_smart_rendered_scene_plays_to_the_end_in_chromium(tmp_path: Path) -> None:
    transitions = [("cut", 0.0), ("dissolve", 0.3), ("wipe", 0.5)]
    out = tmp_path / "scene.mp4"
    assert await assemble.render(_mix(_scene(tmp_path, transitions), transitions), out) == "smart"
    script = Path(__file__).with_name("play_in_chromium.mjs")
    played = subprocess.run(
        ["node", str(script), str(PLAYWRIGHT), str(CHROMIUM), str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    seen = json.loads(played.stdout.strip().splitlines()[-1])
    assert seen["outcome"] == "ended" and seen["width"] == 320 and seen["corrupted"] == 0
    assert seen["duration"] == pytest.approx(len(_frames(out)) / FPS, abs=0.05)
