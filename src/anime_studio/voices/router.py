"""Voice samples of characters: upload, list, preview (asset file), transcribe, turn into dialogue."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response, UploadFile, status

from anime_studio.assets.models import Asset
from anime_studio.assets.urls import asset_urls
from anime_studio.deps import CurrentUser, EditorUser, EnginesDep, ItemId, PathsDep, SessionDep
from anime_studio.scenes.schemas import ShotRead
from anime_studio.voices import service
from anime_studio.voices.models import VoiceSample
from anime_studio.voices.schemas import DialogueFromVoice, TranscriptUpdate, VoiceRead

router = APIRouter(tags=["voices"])


def _read(request: Request, sample: VoiceSample, asset: Asset) -> VoiceRead:
    return VoiceRead(
        id=sample.id,
        character_id=sample.character_id,
        asset_id=sample.asset_id,
        filename=sample.filename,
        duration=sample.duration,
        transcript=sample.transcript,
        transcript_engine=sample.transcript_engine,
        file_url=asset_urls(request.scope.get("root_path", ""), asset)["file_url"],
        created_at=sample.created_at,
    )


async def _with_asset(session: SessionDep, request: Request, sample: VoiceSample) -> VoiceRead:
    asset = await session.get(Asset, sample.asset_id)
    assert asset is not None
    return _read(request, sample, asset)


@router.get("/characters/{character_id}/voices", response_model=list[VoiceRead])
async def list_voices(character_id: ItemId, request: Request, _: CurrentUser, session: SessionDep) -> list[VoiceRead]:
    """The character's voice samples, oldest first (the newest is the reference voice for cloning TTS)."""
    rows = await service.list_for_character(session=session, character_id=character_id)
    return [_read(request, sample, asset) for sample, asset in rows]


@router.post("/characters/{character_id}/voices", response_model=VoiceRead, status_code=status.HTTP_201_CREATED)
async def upload_voice(
    character_id: ItemId, file: UploadFile, request: Request, _: EditorUser, session: SessionDep, paths: PathsDep
) -> VoiceRead:
    """Upload a recording (WAV/MP3/OGG/FLAC/M4A/WebM, ≤ 50 MB, ≤ 5 min); stored as a loudness-normalised WAV."""
    sample, asset = await service.add(session=session, paths=paths, character_id=character_id, upload=file)
    return _read(request, sample, asset)


@router.delete("/voices/{sample_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_voice(sample_id: ItemId, _: EditorUser, session: SessionDep, paths: PathsDep) -> Response:
    await service.delete(session=session, paths=paths, sample_id=sample_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/voices/{sample_id}/transcribe", response_model=VoiceRead)
async def transcribe_voice(
    sample_id: ItemId, request: Request, _: EditorUser, session: SessionDep, paths: PathsDep, engines: EnginesDep
) -> VoiceRead:
    """Transcribe the sample with the transcribe engine (embedded PocketSphinx or a whisper server)."""
    sample = await service.transcribe(session=session, paths=paths, engine=engines.transcribe, sample_id=sample_id)
    return await _with_asset(session, request, sample)


@router.put("/voices/{sample_id}/transcript", response_model=VoiceRead)
async def edit_transcript(
    sample_id: ItemId, body: TranscriptUpdate, request: Request, _: EditorUser, session: SessionDep
) -> VoiceRead:
    """Correct the transcript by hand."""
    sample = await service.update_transcript(session=session, sample_id=sample_id, text=body.transcript)
    return await _with_asset(session, request, sample)


@router.post("/voices/{sample_id}/dialogue", response_model=ShotRead)
async def voice_to_dialogue(sample_id: ItemId, body: DialogueFromVoice, _: EditorUser, session: SessionDep) -> ShotRead:
    """Make the transcript the shot's line for the sample's character (it is subtitled at assembly)."""
    shot = await service.to_dialogue(session=session, sample_id=sample_id, shot_id=body.shot_id, text=body.text)
    return ShotRead.model_validate(shot)
