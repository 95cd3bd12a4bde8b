"""Transcription: the embedded PocketSphinx engine, a whisper server over HTTP, transcripts into dialogue."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from anime_studio.config import Settings
from anime_studio.engines.transcribe.openai import OpenAITranscriber
from anime_studio.engines.transcribe.pocketsphinx import PocketSphinxTranscriber
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.fakes.live import LiveServer
from tests.fakes.whisper import FakeWhisper
from tests.voices.conftest import spoken


@pytest.fixture
def whisper() -> Iterator[tuple[FakeWhisper, str]]:
    fake = FakeWhisper()
    with LiveServer(fake.app) as server:
        yield fake, server.url + "/v1"


async def _sample(studio: Studio, tmp_path: Path, text: str) -> tuple[dict[str, object], dict[str, object]]:
    project = await create_project(studio.editor, name=f"Voice {text[:12]}")
    character = await create_character(studio.editor, project["id"])
    mp3 = await spoken(text, tmp_path)
    response = await studio.editor.post(
        f"{API}/characters/{character['id']}/voices", files={"file": ("line.mp3", mp3, "audio/mpeg")}
    )
    assert response.status_code == 201, response.text
    return project, response.json()


async def test_the_embedded_engine_hears_espeak_speech(tmp_path: Path) -> None:
    audio = tmp_path / "speech.mp3"
    audio.write_bytes(await spoken("I will find my sister before the sun goes down.", tmp_path))
    transcript = await PocketSphinxTranscriber().transcribe(audio)
    assert "find my sister" in transcript.text
    assert transcript.engine == "pocketsphinx" and 2.0 < transcript.duration < 6.0


async def test_a_transcript_becomes_a_shots_line(
    runtime: Runtime, studio: Studio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(runtime.engines.__dict__, "transcribe", PocketSphinxTranscriber())
    project, sample = await _sample(studio, tmp_path, "I will find my sister before the sun goes down.")
    heard = await studio.editor.post(f"{API}/voices/{sample['id']}/transcribe")
    assert heard.status_code == 200, heard.text
    assert "find my sister" in heard.json()["transcript"]
    assert heard.json()["transcript_engine"] == "pocketsphinx:en-us"
    fixed = await studio.editor.put(
        f"{API}/voices/{sample['id']}/transcript", json={"transcript": "I will find my sister before sundown."}
    )
    assert fixed.json()["transcript_engine"] == "edited"
    scene = await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Dusk"})
    shot = await studio.editor.post(f"{API}/scenes/{scene.json()['id']}/shots", json={"duration": 3})
    line = await studio.editor.post(f"{API}/voices/{sample['id']}/dialogue", json={"shot_id": shot.json()["id"]})
    assert line.status_code == 200, line.text
    assert line.json()["dialogue_text"] == "I will find my sister before sundown."
    assert line.json()["dialogue_character_id"] == sample["character_id"]
    other = await create_project(studio.editor, name="Elsewhere")
    foreign = await studio.editor.post(f"{API}/scenes", json={"project_id": other["id"], "title": "Away"})
    foreign_shot = await studio.editor.post(f"{API}/scenes/{foreign.json()['id']}/shots", json={"duration": 3})
    refused = await studio.editor.post(
        f"{API}/voices/{sample['id']}/dialogue", json={"shot_id": foreign_shot.json()["id"]}
    )
    assert refused.status_code == 422 and "another project" in refused.json()["detail"]


async def test_a_whisper_server_transcribes_over_http(
    runtime: Runtime,
    studio: Studio,
    settings: Settings,
    tmp_path: Path,
    whisper: tuple[FakeWhisper, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake, url = whisper
    fake.text = " Open the door and let the people in. "
    remote = settings.model_copy(update={"openai_base_url": url, "openai_api_key": "sk-test"})
    monkeypatch.setitem(runtime.engines.__dict__, "transcribe", OpenAITranscriber(remote))
    _, sample = await _sample(studio, tmp_path, "Open the door and let the people in.")
    heard = await studio.editor.post(f"{API}/voices/{sample['id']}/transcribe")
    assert heard.status_code == 200, heard.text
    assert heard.json()["transcript"] == "Open the door and let the people in."
    assert heard.json()["transcript_engine"] == "openai:whisper-1"
    assert fake.requests[0]["model"] == "whisper-1" and fake.requests[0]["language"] == "en"
    assert fake.requests[0]["seconds"] > 1.0  # the normalised WAV travelled whole
    fake.fail_with = 500
    down = await studio.editor.post(f"{API}/voices/{sample['id']}/transcribe")
    assert down.status_code == 503 and "busy or failing" in down.json()["detail"]
    fake.fail_with = None
    monkeypatch.setitem(
        runtime.engines.__dict__,
        "transcribe",
        OpenAITranscriber(remote.model_copy(update={"openai_api_key": "sk-wrong"})),
    )
    refused = await studio.editor.post(f"{API}/voices/{sample['id']}/transcribe")
    assert refused.status_code == 502 and "API key" in refused.json()["detail"]
    assert "sk-wrong" not in refused.text
