"""Voice samples: uploads decoded and normalised with ffmpeg, transcribed by the transcribe engine."""

from __future__ import annotations

import asyncio
import hashlib
import math
import wave
from pathlib import Path

import numpy as np
from fastapi import UploadFile
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind
from anime_studio.characters.models import Character
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.transcribe.base import TranscribeEngine
from anime_studio.errors import BadGateway, Invalid, NotFound, Unavailable
from anime_studio.media.ffmpeg import FfmpegError, run_ffmpeg
from anime_studio.media.loudness import gain_to
from anime_studio.media.paths import MediaPaths
from anime_studio.media.probe import decodable_audio, probe
from anime_studio.media.uploads import copy_capped, spooled, upload_name
from anime_studio.projects.models import Project
from anime_studio.scenes.models import Scene, Shot
from anime_studio.voices.models import VoiceSample

MAX_BYTES = 50 * 1024 * 1024
MAX_SECONDS = 300.0
# One format for every sample: what TTS engines that clone a voice expect (mono, 16-bit, 24 kHz).
SAMPLE_RATE = 24_000
# One static gain brings the voiced parts to this RMS, peaks kept under PEAK_DBFS. Not ffmpeg's loudnorm: its
# one-pass mode compresses dynamically, which cost the embedded transcriber most words of espeak speech.
SPEECH_DBFS = -20.0
PEAK_DBFS = -1.0


async def _character(session: AsyncSession, character_id: int) -> Character:
    character = await session.get(Character, character_id)
    if character is None:
        raise NotFound(f"character {character_id} not found")
    return character


async def get(*, session: AsyncSession, sample_id: int) -> VoiceSample:
    sample = await session.get(VoiceSample, sample_id)
    if sample is None:
        raise NotFound(f"voice sample {sample_id} not found")
    return sample


async def list_for_character(*, session: AsyncSession, character_id: int) -> list[tuple[VoiceSample, Asset]]:
    await _character(session, character_id)
    rows = await session.execute(
        select(VoiceSample, Asset)
        .join(Asset, Asset.id == VoiceSample.asset_id)
        .where(VoiceSample.character_id == character_id)
        .order_by(VoiceSample.id)
    )
    return [(sample, asset) for sample, asset in rows]


async def reference_for(*, session: AsyncSession, paths: MediaPaths, character_id: int) -> Path | None:
    """The character's reference voice for TTS engines that clone one: its newest sample."""
    relative = await session.scalar(
        select(Asset.path)
        .join(VoiceSample, VoiceSample.asset_id == Asset.id)
        .where(VoiceSample.character_id == character_id)
        .order_by(VoiceSample.id.desc())
        .limit(1)
    )
    return paths.inside(relative) if relative else None


async def add(
    *, session: AsyncSession, paths: MediaPaths, character_id: int, upload: UploadFile
) -> tuple[VoiceSample, Asset]:
    """Store an upload as a normalised WAV sample; ``Invalid`` for empty, non-audio or over-long files."""
    character = await _character(session, character_id)
    project = await session.get(Project, character.project_id)
    assert project is not None
    name = upload_name(upload, default="voice.wav")
    folder = paths.dataset(project.slug, character.slug) / "voices"
    with spooled(folder) as received, spooled(folder) as normalised:
        size = await copy_capped(upload, received, max_bytes=MAX_BYTES, what="voice sample")
        if size == 0:
            raise Invalid(f"{name} is empty")
        try:
            info = await asyncio.to_thread(decodable_audio, received, name=name)
        except ValueError as error:
            raise Invalid(str(error)) from error
        if info.duration > MAX_SECONDS:
            raise Invalid(f"{name} lasts {info.duration:.0f} s; voice samples are limited to {MAX_SECONDS:.0f} s")
        await _normalise(received, normalised, name=name)
        duration = (await asyncio.to_thread(probe, normalised)).duration
        digest = await asyncio.to_thread(_digest, normalised)
        target = folder / f"voice_{digest}.wav"
        normalised.replace(target)
    if await session.scalar(select(Asset.id).where(Asset.path == paths.relative(target))):
        raise Invalid(f"{name} is already one of this studio's voice samples")
    asset = await assets.record(
        session=session,
        paths=paths,
        file=target,
        project_id=project.id,
        kind=AssetKind.audio,
        duration=duration,
        character_id=character.id,
        provenance={"source": "voice sample", "filename": name},
    )
    sample = VoiceSample(character_id=character.id, asset_id=asset.id, filename=name, duration=duration)
    session.add(sample)
    await session.flush()
    return sample, asset


async def _normalise(source: Path, target: Path, *, name: str) -> None:
    args: list[str | Path] = ["-i", source, "-vn", "-ac", "1", "-ar", str(SAMPLE_RATE)]
    try:
        await run_ffmpeg([*args, "-c:a", "pcm_s16le", "-f", "wav", target])
    except FfmpegError as error:
        raise Invalid(f"{name} could not be decoded as audio") from error
    await asyncio.to_thread(_level, target)


def _level(path: Path) -> None:
    """Scale the mono 16-bit WAV in place to ``SPEECH_DBFS`` (bounded by the peak ceiling)."""
    # Quiet phone recordings need more lift than dialogue mixing allows; silence is never boosted.
    gain_db = gain_to(path, SPEECH_DBFS, limit=(-30.0, 30.0))
    with wave.open(str(path), "rb") as file:
        params, frames = file.getparams(), file.readframes(file.getnframes())
    samples = np.frombuffer(frames, dtype="<i2").astype(np.float64)
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    if peak > 0:
        gain_db = min(gain_db, PEAK_DBFS - 20 * math.log10(peak / 32768))
    scaled = np.clip(np.round(samples * 10 ** (gain_db / 20)), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as file:
        file.setparams(params)
        file.writeframes(scaled.tobytes())


def _digest(path: Path) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, "sha256").hexdigest()[:16]


async def delete(*, session: AsyncSession, paths: MediaPaths, sample_id: int) -> None:
    """Remove the sample, its asset row and its file."""
    sample = await get(session=session, sample_id=sample_id)
    asset = await session.get(Asset, sample.asset_id)
    if asset is not None:
        file = paths.inside(asset.path)
        await session.delete(asset)  # cascades to the sample
        await session.flush()
        await asyncio.to_thread(file.unlink, missing_ok=True)


async def transcribe(
    *, session: AsyncSession, paths: MediaPaths, engine: TranscribeEngine, sample_id: int
) -> VoiceSample:
    """Run the transcribe engine over the sample and store its text."""
    sample = await get(session=session, sample_id=sample_id)
    asset = await session.get(Asset, sample.asset_id)
    assert asset is not None
    try:
        transcript = await engine.transcribe(paths.inside(asset.path))
    except TransientEngineError as error:
        raise Unavailable(f"transcription engine {engine.name}: {error}") from error
    except EngineError as error:
        raise BadGateway(f"transcription engine {engine.name}: {error}") from error
    sample.transcript, sample.transcript_engine = transcript.text, f"{transcript.engine}:{transcript.model}"
    await session.flush()
    return sample


async def update_transcript(*, session: AsyncSession, sample_id: int, text: str) -> VoiceSample:
    """A person's correction of the transcript."""
    sample = await get(session=session, sample_id=sample_id)
    sample.transcript, sample.transcript_engine = text.strip(), "edited"
    await session.flush()
    return sample


async def to_dialogue(*, session: AsyncSession, sample_id: int, shot_id: int, text: str | None) -> Shot:
    """Make the transcript (or ``text``) the shot's line, spoken by the sample's character.

    The scene's subtitles are cut from shot dialogue at assembly, so the line becomes a subtitle too.
    """
    sample = await get(session=session, sample_id=sample_id)
    shot = await session.get(Shot, shot_id)
    if shot is None:
        raise NotFound(f"shot {shot_id} not found")
    character = await _character(session, sample.character_id)
    if await session.scalar(select(Scene.project_id).where(Scene.id == shot.scene_id)) != character.project_id:
        raise Invalid("the shot belongs to another project than the voice's character")
    line = (sample.transcript if text is None else text).strip()
    if not line:
        raise Invalid("the sample has no transcript yet; transcribe it or give the text")
    shot.dialogue_text, shot.dialogue_character_id = line, character.id
    await session.flush()
    return shot
