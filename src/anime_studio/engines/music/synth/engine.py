"""The embedded music engine: a procedural, seeded score for a scene's mood."""

from __future__ import annotations

import asyncio
import io
import re
import time
import wave
import zlib
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from anime_studio.engines.base import EngineError, EngineStatus, Progress, no_progress
from anime_studio.engines.music.base import MusicRequest, MusicResult
from anime_studio.engines.music.checks import validate
from anime_studio.engines.music.moods import MOODS, canonical_mood
from anime_studio.engines.music.synth.arrangement import Score, compose, fit_tempo
from anime_studio.engines.music.synth.dsp import SR
from anime_studio.engines.music.synth.master import fade, limit, loudness, normalise, to_pcm16
from anime_studio.engines.music.synth.mix import Stereo, add_air, add_reverb, render_notes
from anime_studio.engines.music.synth.profiles import PROFILES, Profile
from anime_studio.engines.music.synth.theory import Key, parse_key

TEMPO_RANGE = (40.0, 200.0)
_BPM = re.compile(r"\b(\d{2,3})\s*bpm\b", re.IGNORECASE)
_KEY = re.compile(
    r"\bkey of ([A-G][#b]?(?:\s*(?:major|minor|dorian|phrygian|lydian|mixolydian|maj|min|m))?)", re.IGNORECASE
)
_MELODY_HINTS = {
    "piano": "piano",
    "harp": "harp",
    "flute": "flute",
    "clarinet": "clarinet",
    "woodwind": "clarinet",
    "saxophone": "saxophone",
    "sax": "saxophone",
    "violin": "strings",
    "strings": "strings",
    "bells": "bells",
    "celesta": "bells",
    "brass": "brass",
    "trumpet": "brass",
    "synth": "synth_lead",
    "electric piano": "electric_piano",
    "rhodes": "electric_piano",
}


@dataclass(frozen=True)
class Plan:
    """What the request resolves to before any sound is made."""

    profile: Profile
    key: Key
    tempo: float
    bars: int
    duration: float
    fade_in: float
    fade_out: float
    rng_seed: int


class SynthMusicEngine:
    """Composes and renders music with numpy: no model, no network, identical output for identical requests."""

    name = "synth"
    model = "synth-1"  # bump when the arrangement or sound changes: cached scores are keyed by it

    async def compose(self, request: MusicRequest, *, progress: Progress | None = None) -> MusicResult:
        """Write a stereo 16-bit 44.1 kHz WAV of ``request.duration`` seconds, faded in and out."""
        report = progress or no_progress
        plan = make_plan(request)
        started = time.perf_counter()
        await report(0.05, f"composing {plan.profile.mood} in {plan.key.label} at {plan.tempo:.0f} bpm")
        score = await asyncio.to_thread(_compose, plan)
        await report(0.15, f"rendering {len(score.notes)} notes")
        mix = await asyncio.to_thread(_render, plan, score)
        await report(0.75, "mastering")
        pcm, lufs, peak_db = await asyncio.to_thread(_master, plan, mix)
        await asyncio.to_thread(_write_wav, request, pcm)
        await report(1.0, "done")
        return MusicResult(
            path=request.output_path,
            duration=len(pcm) / 4 / SR,
            engine=self.name,
            parameters=_parameters(plan, score, lufs, peak_db, time.perf_counter() - started, request.seed),
        )

    async def status(self) -> EngineStatus:
        """Always reachable: it needs nothing but numpy."""
        return EngineStatus(
            kind="music",
            name=self.name,
            reachable=True,
            detail=f"procedural synthesiser, {len(PROFILES)} moods, stereo 44.1 kHz",
            models=list(MOODS),
        )


def make_plan(request: MusicRequest) -> Plan:
    """Validate the request and fix every musical choice (mood, key, tempo, bars) from it and its seed."""
    validate(request)
    mood = canonical_mood(request.mood)
    profile = _with_melody_hint(PROFILES[mood], request.prompt)
    seed = zlib.crc32(f"{mood}:{request.seed}".encode())
    rng = np.random.default_rng(seed)
    key = _prompt_key(request.prompt) or parse_key(profile.keys[int(rng.integers(0, len(profile.keys)))])
    assert key is not None  # the profiles' own keys always parse
    tempo = _prompt_tempo(request.prompt) or profile.tempo * float(rng.uniform(0.97, 1.03))
    tempo, bars = fit_tempo(tempo, request.duration)
    fade_in, fade_out = _fades(request)
    return Plan(profile, key, tempo, bars, request.duration, fade_in, fade_out, seed)


def _fades(request: MusicRequest) -> tuple[float, float]:
    """Fades never overlap: on a very short clip each gets at most half of it."""
    total = request.fade_in + request.fade_out
    if total <= request.duration or total == 0:
        return request.fade_in, request.fade_out
    scale = request.duration / total
    return request.fade_in * scale, request.fade_out * scale


def _prompt_tempo(prompt: str) -> float | None:
    match = _BPM.search(prompt)
    if not match:
        return None
    bpm = float(match.group(1))
    if not TEMPO_RANGE[0] <= bpm <= TEMPO_RANGE[1]:
        raise EngineError(f"tempo {bpm:.0f} bpm is out of range ({TEMPO_RANGE[0]:.0f} to {TEMPO_RANGE[1]:.0f})")
    return bpm


def _prompt_key(prompt: str) -> Key | None:
    match = _KEY.search(prompt)
    return parse_key(match.group(1)) if match else None


def _with_melody_hint(profile: Profile, prompt: str) -> Profile:
    """'solo violin', 'soft piano'… in the prompt picks the instrument that carries the theme."""
    lowered = prompt.lower()
    for word, instrument in sorted(_MELODY_HINTS.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{word}\b", lowered):
            return replace(profile, melody=(instrument, instrument))
    return profile


def _compose(plan: Plan) -> Score:
    return compose(plan.profile, plan.key, plan.tempo, plan.bars, np.random.default_rng(plan.rng_seed))


def _render(plan: Plan, score: Score) -> Stereo:
    n = round(plan.duration * SR)
    dry, send = render_notes(score.notes, n)
    mix = add_reverb(dry, send, rt60=plan.profile.reverb, wet=plan.profile.wet)[:, :n]
    if plan.profile.air:
        add_air(mix, plan.profile.air)
    return mix


def _master(plan: Plan, mix: Stereo) -> tuple[bytes, float, float]:
    normalised, _ = normalise(mix)
    limited = limit(normalised)
    lufs = loudness(limited)
    faded = fade(limited, plan.fade_in, plan.fade_out)
    peak = float(np.max(np.abs(faded))) or 1e-9
    return to_pcm16(faded), lufs, 20 * float(np.log10(peak))


def _write_wav(request: MusicRequest, pcm: bytes) -> None:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(SR)
        out.writeframes(pcm)
    try:
        request.output_path.parent.mkdir(parents=True, exist_ok=True)
        request.output_path.write_bytes(buffer.getvalue())
    except OSError as error:
        raise EngineError(f"cannot write the music file {request.output_path}: {error.strerror or error}") from error


def _parameters(plan: Plan, score: Score, lufs: float, peak_db: float, seconds: float, seed: int) -> dict[str, Any]:
    instruments = sorted({n.instrument for n in score.notes})
    return {
        "mood": plan.profile.mood,
        "key": plan.key.label,
        "tempo": round(plan.tempo, 1),
        "bars": plan.bars,
        "progression": [list(plan.profile.progression_a), list(plan.profile.progression_b)],
        "sections": [
            {"kind": s.kind, "start": round(s.start_bar * 4 * 60 / plan.tempo, 2), "bars": s.bars}
            for s in score.sections
        ],
        "instruments": instruments,
        "notes": len(score.notes),
        "seed": seed,
        "loudness_lufs": round(lufs, 1),
        "peak_dbfs": round(peak_db, 1),
        "render_seconds": round(seconds, 2),
    }
