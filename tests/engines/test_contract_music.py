"""The music contract: every MusicEngine implementation must pass these tests.

To add an implementation, append a factory to ``MUSIC_ENGINES``: a function returning a context
manager that yields a ready engine (start its fake server inside it when it has one).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.music.base import MusicEngine, MusicRequest
from anime_studio.engines.music.synth import SynthMusicEngine
from tests.engines.audio import read_wav, window_rms_db

EngineFactory = Callable[[], AbstractContextManager[MusicEngine]]


@contextmanager
def synth() -> Iterator[MusicEngine]:
    yield SynthMusicEngine()


MUSIC_ENGINES: list[EngineFactory] = [synth]


@pytest.fixture(params=MUSIC_ENGINES, ids=lambda factory: factory.__name__)
def engine(request: pytest.FixtureRequest) -> Iterator[MusicEngine]:
    with request.param() as built:
        yield built


async def test_writes_a_stereo_wav_of_the_requested_length(engine: MusicEngine, tmp_path: Path) -> None:
    out = tmp_path / "score.wav"
    result = await engine.compose(MusicRequest(mood="peaceful", duration=12.0, output_path=out))
    wav = read_wav(out)
    assert result.path == out and result.engine == engine.name
    assert wav.channels == 2
    assert wav.duration == pytest.approx(12.0, abs=0.05)
    assert result.duration == pytest.approx(wav.duration, abs=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["score.wav"]


async def test_fades_in_and_out(engine: MusicEngine, tmp_path: Path) -> None:
    request = MusicRequest(mood="romantic", duration=14.0, output_path=tmp_path / "m.wav", fade_in=2.0, fade_out=3.0)
    wav = read_wav((await engine.compose(request)).path)
    middle = window_rms_db(wav, 5.0, 9.0)
    assert middle > -40, "the music should be audible"
    assert window_rms_db(wav, 0.0, 0.25) < middle - 10
    assert window_rms_db(wav, 13.75, 14.0) < middle - 10


async def test_never_clips(engine: MusicEngine, tmp_path: Path) -> None:
    wav = read_wav(
        (await engine.compose(MusicRequest(mood="action", duration=10.0, output_path=tmp_path / "m.wav"))).path
    )
    clipped = (abs(wav.samples) >= 32767 / 32768).sum()
    assert clipped == 0


async def test_reports_progress_up_to_done(engine: MusicEngine, tmp_path: Path) -> None:
    seen: list[float] = []

    async def progress(fraction: float, message: str) -> None:
        seen.append(fraction)

    await engine.compose(MusicRequest(mood="tense", duration=5.0, output_path=tmp_path / "m.wav"), progress=progress)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize("duration", [0.0, -3.0, math.nan, 100_000.0])
async def test_refuses_impossible_durations(engine: MusicEngine, tmp_path: Path, duration: float) -> None:
    with pytest.raises(EngineError, match="duration"):
        await engine.compose(MusicRequest(mood="peaceful", duration=duration, output_path=tmp_path / "m.wav"))
    assert not (tmp_path / "m.wav").exists()


async def test_any_mood_text_is_accepted(engine: MusicEngine, tmp_path: Path) -> None:
    result = await engine.compose(
        MusicRequest(mood="a rainy afternoon of quiet regret", duration=4.0, output_path=tmp_path / "m.wav")
    )
    assert read_wav(result.path).duration == pytest.approx(4.0, abs=0.05)


async def test_status_is_reachable(engine: MusicEngine) -> None:
    status = await engine.status()
    assert (status.kind, status.name, status.reachable) == ("music", engine.name, True)


async def test_unwritable_destination_is_an_engine_error(engine: MusicEngine, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(EngineError):
        await engine.compose(MusicRequest(mood="calm", duration=2.0, output_path=blocker / "m.wav"))
