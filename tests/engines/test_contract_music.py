"""The music contract, run against every implementation (ACE-Step and ComfyUI ACE through their fake servers).

To add an implementation, add an ``Impl`` to ``MUSIC`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.music.base import MusicEngine, MusicRequest
from anime_studio.engines.music.comfyui_ace import ComfyAceMusicEngine
from anime_studio.engines.music.synth import SynthMusicEngine
from anime_studio.engines.registry import music_engine
from tests.engines import contract
from tests.engines.audio import read_wav, window_rms_db


def _acestep(backends: contract.Backends) -> MusicEngine:
    settings = backends.settings(
        music_engine="acestep", acestep_url=backends.url("acestep"), acestep_poll_interval=0.02, acestep_timeout=30
    )
    return music_engine(settings)


def _comfyui_ace(backends: contract.Backends) -> MusicEngine:
    pool = backends.comfy_pool()
    return ComfyAceMusicEngine(pool=pool, renderer=PoolRenderer(pool))


MUSIC: dict[str, contract.Impl[MusicEngine]] = {
    "synth": contract.Impl(lambda backends: SynthMusicEngine()),
    "acestep": contract.served("acestep", _acestep),
    "comfyui-ace": contract.served("comfyui", _comfyui_ace),
}


@pytest.fixture(params=contract.impl_params(MUSIC))
def impl(request: pytest.FixtureRequest) -> contract.Impl[MusicEngine]:
    return request.param  # type: ignore[no-any-return]


@pytest.mark.parametrize("duration", [6.0, 3.37])
async def test_writes_a_stereo_wav_of_the_requested_length(
    engine: MusicEngine, tmp_path: Path, duration: float
) -> None:
    out = tmp_path / "score.wav"
    result = await engine.compose(MusicRequest(mood="peaceful", duration=duration, output_path=out))
    wav = read_wav(out)  # 16-bit PCM
    assert result.path == out and result.engine == engine.name
    assert wav.channels == 2 and wav.sample_rate >= 44_100
    assert abs(len(wav.samples) - duration * wav.sample_rate) <= 1  # exact to one sample frame
    assert result.duration == pytest.approx(duration, abs=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["score.wav"]  # no temporary files left


async def test_fades_in_and_out(engine: MusicEngine, tmp_path: Path) -> None:
    request = MusicRequest(mood="romantic", duration=8.0, output_path=tmp_path / "m.wav", fade_in=1.5, fade_out=2.0)
    wav = read_wav((await engine.compose(request)).path)
    middle = window_rms_db(wav, 2.5, 5.5)
    assert middle > -40, "the music should be audible"
    assert window_rms_db(wav, 0.0, 0.2) < middle - 10
    assert window_rms_db(wav, 7.8, 8.0) < middle - 10


async def test_never_clips(engine: MusicEngine, tmp_path: Path) -> None:
    wav = read_wav(
        (await engine.compose(MusicRequest(mood="action", duration=6.0, output_path=tmp_path / "m.wav"))).path
    )
    clipped = (abs(wav.samples) >= 32767 / 32768).sum()
    assert clipped == 0


@pytest.mark.parametrize("impl", contract.impl_params(MUSIC, contract.deterministic))
async def test_same_request_gives_the_same_audio(engine: MusicEngine, tmp_path: Path) -> None:
    paths = [
        (await engine.compose(MusicRequest(mood="comedic", duration=3.0, output_path=tmp_path / name, seed=seed))).path
        for name, seed in (("a.wav", 42), ("b.wav", 42), ("c.wav", 43))
    ]
    assert paths[0].read_bytes() == paths[1].read_bytes()
    assert paths[2].read_bytes() != paths[0].read_bytes()  # the seed matters


async def test_reports_progress_up_to_done(engine: MusicEngine, tmp_path: Path) -> None:
    seen: list[float] = []

    async def progress(fraction: float, message: str) -> None:
        seen.append(fraction)

    await engine.compose(MusicRequest(mood="tense", duration=5.0, output_path=tmp_path / "m.wav"), progress=progress)
    assert seen and seen == sorted(seen) and seen[-1] == 1.0


@pytest.mark.parametrize("duration", [0.0, -3.0, math.nan, math.inf, 100_000.0])
async def test_refuses_impossible_durations(engine: MusicEngine, tmp_path: Path, duration: float) -> None:
    with pytest.raises(EngineError, match="duration") as raised:
        await engine.compose(MusicRequest(mood="peaceful", duration=duration, output_path=tmp_path / "m.wav"))
    assert not isinstance(raised.value, TransientEngineError)
    assert not (tmp_path / "m.wav").exists()


async def test_any_mood_text_is_accepted(engine: MusicEngine, tmp_path: Path) -> None:
    result = await engine.compose(
        MusicRequest(mood="a rainy afternoon of quiet regret", duration=4.0, output_path=tmp_path / "m.wav")
    )
    assert read_wav(result.path).duration == pytest.approx(4.0, abs=0.001)


async def test_status_shape(engine: MusicEngine) -> None:
    contract.assert_status(await engine.status(), "music", engine.name)


async def test_unwritable_destination_is_an_engine_error(engine: MusicEngine, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(EngineError) as raised:
        await engine.compose(MusicRequest(mood="calm", duration=2.0, output_path=blocker / "m.wav"))
    assert not isinstance(raised.value, TransientEngineError)
    assert blocker.read_text() == "not a folder"


@pytest.mark.parametrize("impl", contract.impl_params(MUSIC, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[MusicEngine], fake_servers: contract.FakeServers, tmp_path: Path
) -> None:
    request = MusicRequest(mood="calm", duration=2.0, output_path=tmp_path / "m.wav")
    await contract.assert_down_is_transient(
        impl, fake_servers, tmp_path, "music", lambda engine: engine.compose(request)
    )
    assert not request.output_path.exists()
