"""The TTS contract, run against every implementation.

To add an implementation, add an ``Impl`` to ``TTS`` (see ``tests/engines/contract.py``); a remote one
names its fake server and gets the server-down check too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.tts.base import SpeechRequest, TtsEngine, VoiceSettings
from anime_studio.engines.tts.espeak import EspeakEngine
from tests.engines import contract
from tests.engines.audio import read_wav, rms_db

TTS: dict[str, contract.Impl[TtsEngine]] = {
    "espeak": contract.Impl(lambda backends: EspeakEngine()),
}

LINE = "The lighthouse keeper never lets the lamp go dark, not even in the worst of storms."


@pytest.fixture(params=contract.impl_params(TTS))
def impl(request: pytest.FixtureRequest) -> contract.Impl[TtsEngine]:
    return request.param  # type: ignore[no-any-return]


async def test_writes_mono_16bit_wav_matching_the_result(engine: TtsEngine, tmp_path: Path) -> None:
    out = tmp_path / "line.wav"
    result = await engine.synthesize(SpeechRequest(LINE, out))
    wav = read_wav(out)  # 16-bit PCM
    assert result.path == out and result.engine == engine.name
    assert (wav.channels, wav.sample_width) == (1, 2)
    assert wav.sample_rate == result.sample_rate
    assert result.duration == pytest.approx(wav.duration, abs=0.01)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["line.wav"]


async def test_creates_missing_parent_folders(engine: TtsEngine, tmp_path: Path) -> None:
    out = tmp_path / "scene_3" / "dialogue" / "shot_1.wav"
    assert (await engine.synthesize(SpeechRequest(LINE, out))).path.is_file()


async def test_speech_is_audible_and_paced_by_rate(engine: TtsEngine, tmp_path: Path) -> None:
    words = len(LINE.split())
    normal = await engine.synthesize(SpeechRequest(LINE, tmp_path / "normal.wav", VoiceSettings(rate=170)))
    fast = await engine.synthesize(SpeechRequest(LINE, tmp_path / "fast.wav", VoiceSettings(rate=300)))
    assert rms_db(read_wav(normal.path).samples) > -35
    expected = words / 170 * 60
    assert 0.5 * expected < normal.duration < 2.0 * expected
    assert fast.duration < 0.8 * normal.duration


@pytest.mark.parametrize("impl", contract.impl_params(TTS, contract.deterministic))
async def test_same_request_gives_identical_bytes(engine: TtsEngine, tmp_path: Path) -> None:
    voice = VoiceSettings(pitch=40, rate=150)
    a = await engine.synthesize(SpeechRequest(LINE, tmp_path / "a.wav", voice))
    b = await engine.synthesize(SpeechRequest(LINE, tmp_path / "b.wav", voice))
    assert a.path.read_bytes() == b.path.read_bytes()


@pytest.mark.parametrize("text", ["", "   \n\t "])
async def test_empty_text_is_refused(engine: TtsEngine, tmp_path: Path, text: str) -> None:
    with pytest.raises(EngineError, match="empty") as raised:
        await engine.synthesize(SpeechRequest(text, tmp_path / "x.wav"))
    assert not isinstance(raised.value, TransientEngineError)
    assert not (tmp_path / "x.wav").exists()


async def test_unknown_voice_is_refused_with_a_hint(engine: TtsEngine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="voice") as raised:
        await engine.synthesize(SpeechRequest(LINE, tmp_path / "x.wav", VoiceSettings(voice="klingon-xx")))
    assert "engines" in str(raised.value) or "voices" in str(raised.value)
    assert not (tmp_path / "x.wav").exists()


@pytest.mark.parametrize(("field", "value"), [("rate", 20), ("rate", 900), ("pitch", 101), ("volume", -1)])
async def test_out_of_range_settings_are_refused(engine: TtsEngine, tmp_path: Path, field: str, value: int) -> None:
    with pytest.raises(EngineError, match=f"{field} {value} is out of range"):
        await engine.synthesize(SpeechRequest(LINE, tmp_path / "x.wav", VoiceSettings(**{field: value})))  # type: ignore[arg-type]
    assert not (tmp_path / "x.wav").exists()


async def test_lists_voices_including_the_default(engine: TtsEngine) -> None:
    voices = await engine.voices()
    assert voices and all(isinstance(v, str) and v for v in voices)
    assert VoiceSettings().voice in voices


async def test_status_shape(engine: TtsEngine) -> None:
    status = await engine.status()
    contract.assert_status(status, "tts", engine.name)
    assert status.models


async def test_unwritable_destination_is_an_engine_error(engine: TtsEngine, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(EngineError):
        await engine.synthesize(SpeechRequest(LINE, blocker / "line.wav"))
    assert blocker.read_text() == "not a folder"
