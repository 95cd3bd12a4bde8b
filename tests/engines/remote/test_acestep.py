"""ACE-Step specifics against a fake ACE-Step 1.5 API server: the task body, polling, looping, failures, keys.

Length, format, fades, bad durations, status and a server that is down are the music contract
(``test_contract_music.py``).
"""

from __future__ import annotations

import wave
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.music.acestep import AceStepMusic
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.captions import music_caption
from anime_studio.engines.music.moods import MOOD_PROMPTS as MOOD_CAPTIONS
from tests.fakes.acestep import FakeAceStep


def read_wav(path: Path) -> tuple[int, int, np.ndarray]:
    with wave.open(str(path), "rb") as handle:
        frames = handle.readframes(handle.getnframes())
        channels, rate = handle.getnchannels(), handle.getframerate()
        assert handle.getsampwidth() == 2
    return channels, rate, np.frombuffer(frames, dtype="<i2").reshape(-1, channels).astype(float) / 32768


def test_caption_from_mood_table() -> None:
    assert music_caption("Tense", "koto, taiko").startswith(MOOD_CAPTIONS["tense"] + ", koto, taiko")
    assert music_caption("melancholic").startswith(MOOD_CAPTIONS["melancholy"])
    assert music_caption("bewildered").startswith(MOOD_CAPTIONS["ambient"])
    assert "instrumental" in music_caption("action")


async def test_compose_polls_downloads_and_fits(
    acestep: tuple[FakeAceStep, str], settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    fake, url = acestep
    engine = AceStepMusic(settings_for(acestep_url=url, acestep_poll_interval=0.05))
    seen: list[tuple[float, str]] = []

    async def progress(fraction: float, message: str) -> None:
        seen.append((fraction, message))

    target = tmp_path / "music" / "scene_1.wav"
    request = MusicRequest(mood="peaceful", duration=4.5, output_path=target, seed=42, prompt="shakuhachi")
    result = await engine.compose(request, progress=progress)
    (task,) = fake.tasks.values()
    assert task.body["prompt"].startswith(MOOD_CAPTIONS["peaceful"] + ", shakuhachi")
    assert task.body["lyrics"] == "[Instrumental]" and task.body["audio_duration"] == 10.0
    assert (task.body["seed"], task.body["use_random_seed"], task.body["audio_format"]) == (42, False, "wav")
    assert fake.queries >= 2 and fake.downloads == 1
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) >= 4
    channels, rate, samples = read_wav(result.path)
    assert (channels, rate, len(samples)) == (2, 48_000, int(4.5 * 48_000))
    assert np.abs(samples[:480]).max() < 0.02  # fade in from silence
    assert np.abs(samples[-480:]).max() < 0.02  # fade out to silence
    assert np.abs(samples[len(samples) // 2 :][:4800]).max() > 0.2  # real music in the middle
    assert result.duration == 4.5 and result.parameters["task_id"] == task.id
    assert sorted(p.name for p in target.parent.iterdir()) == ["scene_1.wav"]  # no temp files left


async def test_long_scene_loops_source(
    acestep: tuple[FakeAceStep, str], settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    fake, url = acestep
    fake.delay = 0.0
    engine = AceStepMusic(settings_for(acestep_url=url, acestep_poll_interval=0.05))
    request = MusicRequest(mood="action", duration=12.25, output_path=tmp_path / "long.wav", fade_out=0.5)
    await engine.compose(request)
    assert next(iter(fake.tasks.values())).body["audio_duration"] == 13.0
    _, _, samples = read_wav(tmp_path / "long.wav")
    assert len(samples) == 12.25 * 48_000


async def test_task_failure_carries_server_message(
    acestep: tuple[FakeAceStep, str], settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    fake, url = acestep
    fake.fail_message = "CUDA out of memory"
    engine = AceStepMusic(settings_for(acestep_url=url, acestep_poll_interval=0.05))
    with pytest.raises(EngineError, match="CUDA out of memory") as caught:
        await engine.compose(MusicRequest(mood="tense", duration=3, output_path=tmp_path / "x.wav"))
    assert not isinstance(caught.value, TransientEngineError)
    assert not (tmp_path / "x.wav").exists()


async def test_slow_task_is_transient(
    acestep: tuple[FakeAceStep, str], settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    fake, url = acestep
    request = MusicRequest(mood="tense", duration=3, output_path=tmp_path / "x.wav")
    fake.delay = 5.0
    slow = AceStepMusic(settings_for(acestep_url=url, acestep_timeout=0.3, acestep_poll_interval=0.05))
    with pytest.raises(TransientEngineError, match="did not finish"):
        await slow.compose(request)


async def test_api_key_and_status(settings_for: Callable[..., Settings], tmp_path: Path) -> None:
    from tests.fakes.live import LiveServer

    fake = FakeAceStep(api_key="secret", delay=0.0)
    with LiveServer(fake.app) as server:
        request = MusicRequest(mood="comedic", duration=2, output_path=tmp_path / "k.wav")
        with pytest.raises(EngineError, match="API key"):
            await AceStepMusic(settings_for(acestep_url=server.url)).compose(request)
        keyed = AceStepMusic(settings_for(acestep_url=server.url, acestep_api_key="secret", acestep_poll_interval=0.05))
        await keyed.compose(request)
        status = await keyed.status()
    assert status.reachable and status.models == ["acestep-v15-turbo"]
