"""espeak-ng specifics: real pitch control, voice variants, thread safety (the TTS contract covers the rest)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.tts.base import SpeechRequest, VoiceSettings
from anime_studio.engines.tts.espeak import EspeakEngine
from tests.engines.audio import fundamental, read_wav

LINE = "We should go now, before the tide turns and the bridge is gone."


@pytest.fixture(scope="module")
def engine() -> EspeakEngine:
    return EspeakEngine()


async def _speak(engine: EspeakEngine, path: Path, **voice: object) -> Path:
    result = await engine.synthesize(SpeechRequest(LINE, path, VoiceSettings(**voice)))  # type: ignore[arg-type]
    return result.path


async def test_pitch_setting_moves_the_fundamental(engine: EspeakEngine, tmp_path: Path) -> None:
    f0 = [fundamental(read_wav(await _speak(engine, tmp_path / f"p{p}.wav", pitch=p))) for p in (15, 50, 85)]
    assert f0[0] * 1.15 < f0[1] and f0[1] * 1.15 < f0[2]


async def test_female_variant_speaks_higher(engine: EspeakEngine, tmp_path: Path) -> None:
    male = fundamental(read_wav(await _speak(engine, tmp_path / "m.wav", voice="en-us")))
    female = fundamental(read_wav(await _speak(engine, tmp_path / "f.wav", voice="en-us+f3")), high=500)
    assert female > 1.4 * male


async def test_concurrent_requests_do_not_mix_voices(engine: EspeakEngine, tmp_path: Path) -> None:
    settings = [("en-us", 20), ("en-us+f3", 80), ("fr", 50), ("en-gb+m3", 35)]
    sequential = [
        (await _speak(engine, tmp_path / f"s{i}.wav", voice=v, pitch=p)).read_bytes()
        for i, (v, p) in enumerate(settings)
    ]
    paths = await asyncio.gather(
        *(_speak(engine, tmp_path / f"c{i}.wav", voice=v, pitch=p) for i, (v, p) in enumerate(settings))
    )
    assert [p.read_bytes() for p in paths] == sequential


async def test_variant_names_are_case_insensitive(engine: EspeakEngine, tmp_path: Path) -> None:
    a = await _speak(engine, tmp_path / "a.wav", voice="en-us+F3")
    b = await _speak(engine, tmp_path / "b.wav", voice="en-us+f3")
    assert a.read_bytes() == b.read_bytes()


async def test_unknown_variant_suggests_close_names(engine: EspeakEngine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"variant \+f33.*did you mean \+f3"):
        await _speak(engine, tmp_path / "x.wav", voice="en-us+f33")


async def test_status_lists_variants(engine: EspeakEngine) -> None:
    status = await engine.status()
    assert "en-us" in status.models and "f3" in status.extra["variants"]
    assert status.extra["sample_rate"] == 22050


async def test_every_listed_voice_speaks(engine: EspeakEngine, tmp_path: Path) -> None:
    for voice in await engine.voices():
        result = await engine.synthesize(SpeechRequest("one two", tmp_path / "v.wav", VoiceSettings(voice=voice)))
        assert result.duration > 0.2, voice


async def test_language_codes_resolve_to_their_voice(engine: EspeakEngine, tmp_path: Path) -> None:
    british = await _speak(engine, tmp_path / "gb.wav", voice="en-GB")
    american = await _speak(engine, tmp_path / "us.wav", voice="en-us")
    assert british.read_bytes() != american.read_bytes()
