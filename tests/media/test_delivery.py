"""Delivery loudness: two-pass loudnorm to −16 LUFS integrated with true peak at or under −1 dBTP."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from anime_studio.media.delivery import CEILING_DBTP, TARGET_LUFS, measure, normalize
from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.media.probe import probe


def _clip(path: Path, audio: str) -> Path:
    args = [ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=12"]
    args += ["-f", "lavfi", "-i", audio, "-t", "4", "-c:v", "libx264", "-pix_fmt", "yuv420p"]
    args += ["-c:a", "aac", "-ac", "2", "-ar", "48000", str(path)]
    subprocess.run(args, check=True)
    return path


@pytest.mark.parametrize(
    "audio",
    [
        # A mix that clips: a loud chord driven into full scale (0 dBFS peaks, about -6 LUFS).
        "aevalsrc=0.9*sin(2*PI*220*t)+0.6*sin(2*PI*330*t)+0.4*sin(2*PI*5000*t):s=48000,alimiter=limit=1",
        # A quiet one (a soft bed under a swelling voice-like tone, about -27 LUFS): needs gain, not limiting.
        "aevalsrc=0.03*sin(2*PI*440*t)+0.1*abs(sin(2*PI*0.7*t))*sin(2*PI*880*t):s=48000",
    ],
    ids=["clipping", "quiet"],
)
async def test_normalises_to_delivery_loudness_under_the_true_peak_ceiling(tmp_path: Path, audio: str) -> None:
    path = _clip(tmp_path / "scene.mp4", audio)
    before = await measure(path)
    video = probe(path)
    assert abs(before.integrated - TARGET_LUFS) > 3 or before.true_peak > CEILING_DBTP
    await normalize(path)
    after = await measure(path)
    assert after.integrated == pytest.approx(TARGET_LUFS, abs=1.0)
    assert after.true_peak <= CEILING_DBTP
    copied = probe(path)
    assert (copied.width, copied.height, copied.video_codec) == (video.width, video.height, video.video_codec)
    assert copied.duration == pytest.approx(video.duration, abs=0.1)


async def test_silence_and_files_without_sound_are_left_alone(tmp_path: Path) -> None:
    silent = _clip(tmp_path / "silent.mp4", "anullsrc=r=48000:cl=stereo")
    untouched = silent.read_bytes()
    assert await normalize(silent) is None and silent.read_bytes() == untouched
    mute = tmp_path / "mute.mp4"
    args = [ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=s=160x90:r=12", "-t", "1"]
    subprocess.run([*args, "-pix_fmt", "yuv420p", str(mute)], check=True)
    assert await normalize(mute) is None
