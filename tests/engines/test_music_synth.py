"""The procedural synthesiser: determinism, moods that sound different, loudness, structure, speed."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.moods import MOODS, canonical_mood
from anime_studio.engines.music.synth import SynthMusicEngine
from anime_studio.engines.music.synth.arrangement import plan_sections
from anime_studio.engines.music.synth.engine import _compose, make_plan
from anime_studio.engines.music.synth.master import loudness
from tests.engines.audio import peak_dbfs, read_wav, spectral_centroid, tempo, window_rms_db

ENGINE = SynthMusicEngine()


async def _render(tmp_path: Path, name: str, **fields: object) -> Path:
    request = MusicRequest(output_path=tmp_path / f"{name}.wav", **{"mood": "peaceful", "duration": 8.0, **fields})  # type: ignore[arg-type]
    return (await ENGINE.compose(request)).path


async def test_is_44k1_stereo_and_peaks_below_minus_one_dbfs(tmp_path: Path) -> None:
    wav = read_wav(await _render(tmp_path, "m", mood="powerful", duration=10.0))
    assert (wav.sample_rate, wav.channels) == (44_100, 2)
    assert peak_dbfs(wav) <= -0.99


async def test_action_is_faster_and_brighter_than_peaceful(tmp_path: Path) -> None:
    peaceful = read_wav(await _render(tmp_path, "p", mood="peaceful", duration=20.0))
    action = read_wav(await _render(tmp_path, "a", mood="action", duration=20.0))
    calm_bpm, fast_bpm = tempo(peaceful), tempo(action)
    assert calm_bpm == pytest.approx(70, rel=0.08)
    assert fast_bpm * 2 == pytest.approx(140, rel=0.08) or fast_bpm == pytest.approx(140, rel=0.08)
    assert spectral_centroid(action) > 1.5 * spectral_centroid(peaceful)


@pytest.mark.parametrize("mood", MOODS)
async def test_every_mood_renders_at_the_loudness_target(tmp_path: Path, mood: str) -> None:
    path = await _render(tmp_path, mood, mood=mood, duration=10.0, fade_in=0.0, fade_out=0.0)
    wav = read_wav(path)
    measured = loudness(wav.samples.T.astype(np.float32))
    assert -18.5 <= measured <= -13.0, f"{mood}: {measured:.1f} LUFS"
    assert peak_dbfs(wav) <= -0.99


async def test_fade_lengths_follow_the_request(tmp_path: Path) -> None:
    wav = read_wav(await _render(tmp_path, "f", mood="ambient", duration=12.0, fade_in=4.0, fade_out=0.5))
    assert window_rms_db(wav, 0.0, 1.0) < window_rms_db(wav, 3.0, 4.0) - 6
    assert window_rms_db(wav, 10.5, 11.4) > window_rms_db(wav, 11.9, 12.0) + 10


async def test_fades_longer_than_the_clip_are_shared_out(tmp_path: Path) -> None:
    wav = read_wav(await _render(tmp_path, "s", duration=1.0, fade_in=3.0, fade_out=3.0))
    assert wav.duration == pytest.approx(1.0, abs=0.01)
    assert window_rms_db(wav, 0.45, 0.55) > window_rms_db(wav, 0.0, 0.05) + 10


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("sad", "melancholy"),
        ("Cheerful!", "comedic"),
        ("mysterious fog", "tense"),
        ("exciting", "action"),
        ("warm", "romantic"),
        ("zzz", "ambient"),
        ("", "ambient"),
    ],
)
def test_synonyms_map_onto_the_mood_vocabulary(text: str, mood: str) -> None:
    assert canonical_mood(text) == mood


async def test_prompt_can_fix_tempo_key_and_lead_instrument(tmp_path: Path) -> None:
    request = MusicRequest(
        mood="peaceful", duration=8.0, output_path=tmp_path / "m.wav", prompt="solo violin, 100 bpm, key of A minor"
    )
    result = await ENGINE.compose(request)
    assert result.parameters["key"] == "A minor"
    assert result.parameters["tempo"] == pytest.approx(100, rel=0.1)
    assert "strings" in result.parameters["instruments"]


async def test_absurd_prompt_tempo_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="tempo"):
        await ENGINE.compose(
            MusicRequest(mood="action", duration=4.0, output_path=tmp_path / "m.wav", prompt="900 bpm")
        )


def test_long_pieces_have_sections_not_a_loop() -> None:
    kinds = [s.kind for s in plan_sections(60, build=False)]
    assert kinds[0] == "intro" and kinds[-1] == "outro"
    assert {"A", "A2", "B", "A3", "break"} <= set(kinds)
    plan = make_plan(MusicRequest(mood="romantic", duration=90.0, output_path=Path("unused.wav"), seed=5))
    score = _compose(plan)
    sections = {s.kind: s for s in score.sections}
    bar = 4 * 60 / score.tempo

    def melody(kind: str) -> list[float]:
        start = sections[kind].start_bar * bar
        return [n.midi for n in score.notes if n.send == 0.3 and start <= n.start < start + 4 * bar]

    assert melody("A") and melody("B") and melody("A") != melody("B")


def test_notes_stay_in_key_or_on_the_chord() -> None:
    plan = make_plan(MusicRequest(mood="melancholy", duration=40.0, output_path=Path("unused.wav")))
    score = _compose(plan)
    scale = {(plan.key.tonic + s) % 12 for s in plan.key.scale}
    pitched = [n for n in score.notes if n.instrument not in ("kick", "snare", "hihat", "brush")]
    outside = [n for n in pitched if int(n.midi) % 12 not in scale]
    # only the raised leading tone of the V chord may leave the natural-minor scale
    assert {int(n.midi) % 12 for n in outside} <= {(plan.key.tonic + 11) % 12}


async def test_a_minute_renders_in_a_few_seconds(tmp_path: Path) -> None:
    started = time.perf_counter()
    result = await _render(tmp_path, "long", mood="ambient", duration=60.0)
    elapsed = time.perf_counter() - started
    assert read_wav(result).duration == pytest.approx(60.0, abs=0.01)
    assert elapsed < 10.0, f"60 s of music took {elapsed:.1f} s"
