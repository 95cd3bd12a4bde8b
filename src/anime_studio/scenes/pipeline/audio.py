"""A scene's sound: each line of dialogue spoken by its character's voice, and the music bed."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from pathlib import Path

from anime_studio.engines.base import EngineError
from anime_studio.engines.registry import fallback_music_engine
from anime_studio.engines.tts.base import SpeechRequest, VoiceSettings
from anime_studio.media.loudness import gain_to
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue
from anime_studio.music import library
from anime_studio.music.library import TrackRequest
from anime_studio.scenes.models import Shot
from anime_studio.scenes.pipeline.assemble import DialogueClip, MusicBed
from anime_studio.scenes.pipeline.context import SceneWork
from anime_studio.scenes.pipeline.timeline import Timeline, dialogue_start
from anime_studio.scenes.schemas import MusicSettings
from anime_studio.voices.service import reference_for

log = logging.getLogger(__name__)

# Speech RMS over its voiced parts. With the music engines mastered around -14 LUFS and mixed at 30 %,
# this keeps the score about 9 dB under the lines.
DIALOGUE_LEVEL_DBFS = -15.0


def _voice(work: SceneWork, shot: Shot) -> tuple[VoiceSettings, str]:
    speaker = work.cast.get(shot.dialogue_character_id or 0)
    if speaker is None:
        return VoiceSettings(), ""
    known = {k: v for k, v in speaker.voice.items() if k in ("voice", "pitch", "rate", "volume")}
    return VoiceSettings(**known), speaker.name


async def _reference(work: SceneWork, shot: Shot) -> Path | None:
    if not shot.dialogue_character_id:
        return None
    async with work.ctx.runtime.db.transaction() as session:
        return await reference_for(
            session=session, paths=work.ctx.runtime.paths, character_id=shot.dialogue_character_id
        )


async def dialogue(work: SceneWork, shots: list[Shot], timeline: Timeline) -> tuple[list[DialogueClip], list[Cue]]:
    """Speak every shot's line (cached by text + voice) and place it at its shot's start."""
    clips, cues = [], []
    engine = work.ctx.runtime.engines.tts
    for index, shot in enumerate(shots):
        text = shot.dialogue_text.strip()
        if not text:
            continue
        voice, speaker = _voice(work, shot)
        reference = await _reference(work, shot) if engine.clones_voice else None
        # Sample files are named by their content's digest: a new recording speaks the line anew.
        key = hashlib.sha256(f"{text}|{voice}|{reference.name if reference else ''}".encode()).hexdigest()[:12]
        path = work.folder / f"line_{shot.id}_{key}.wav"
        if not path.is_file():
            await engine.synthesize(SpeechRequest(text=text, output_path=path, voice=voice, reference=reference))
        start = dialogue_start(timeline, index)
        gain = await asyncio.to_thread(gain_to, path, DIALOGUE_LEVEL_DBFS)
        clips.append(DialogueClip(path=path, start=start, gain_db=gain))
        cues.append(Cue(start=start, end=start + probe(path).duration, text=text, speaker=speaker))
    return clips, cues


async def music(work: SceneWork, total: float) -> MusicBed:
    """Assigned track > the configured music engine (e.g. ACE-Step) > the embedded synthesiser from the mood."""
    settings = MusicSettings(**work.scene.music)
    assigned = work.path(work.scene.music_path)
    if assigned is not None:
        return MusicBed(assigned, settings.volume, settings.fade_in, settings.fade_out, settings.start_offset)
    mood = work.mood
    seed = work.shot_seed(work.shots[0]) if work.shots else work.scene.id
    path = work.folder / f"music_{hashlib.sha256(f'{mood}|{seed}|{total:.3f}'.encode()).hexdigest()[:12]}.wav"
    if not path.is_file():
        request = TrackRequest(mood=mood, duration=total, seed=seed, fade_in=0.0, fade_out=0.0)
        runtime = work.ctx.runtime
        engine = runtime.engines.music
        try:
            track = await library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request)
        except EngineError as error:
            fallback = fallback_music_engine()
            if engine.name == fallback.name:
                raise
            log.warning("music engine %s failed (%s); using %s", engine.name, error, fallback.name)
            track = await library.compose(db=runtime.db, paths=runtime.paths, engine=fallback, request=request)
        await library.place(runtime.paths.inside(track.path), path)
    return MusicBed(path, settings.volume, settings.fade_in, settings.fade_out, 0.0)
