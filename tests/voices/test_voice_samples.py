"""Voice samples: decoded and normalised to one WAV format, bad files refused with 4xx and no litter."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import pytest
from imageio_ffmpeg import get_ffmpeg_exe

from anime_studio.media.loudness import speech_level
from anime_studio.runtime import Runtime
from anime_studio.voices import service
from tests.factories import API, Studio, create_character, create_project
from tests.voices.conftest import spoken


async def _character(studio: Studio, name: str) -> tuple[dict[str, object], dict[str, object]]:
    project = await create_project(studio.editor, name=name)
    return project, await create_character(studio.editor, int(project["id"]))  # type: ignore[arg-type]


def _voices_dir(runtime: Runtime, project: dict[str, object], character: dict[str, object]) -> Path:
    return runtime.paths.dataset(str(project["slug"]), str(character["slug"])) / "voices"


async def test_an_mp3_becomes_a_normalised_mono_wav(runtime: Runtime, studio: Studio, tmp_path: Path) -> None:
    project, character = await _character(studio, "Voices")
    mp3 = await spoken("We have to leave the city tonight.", tmp_path)
    response = await studio.editor.post(
        f"{API}/characters/{character['id']}/voices", files={"file": ("take 1.mp3", mp3, "audio/mpeg")}
    )
    assert response.status_code == 201, response.text
    sample = response.json()
    assert sample["filename"] == "take 1.mp3" and 1.0 < sample["duration"] < 5.0
    files = list(_voices_dir(runtime, project, character).iterdir())
    assert len(files) == 1 and files[0].suffix == ".wav"
    with av.open(str(files[0])) as container:
        stream = container.streams.audio[0]
        assert (stream.codec_context.name, stream.rate, stream.channels) == ("pcm_s16le", 24_000, 1)
    level = speech_level(files[0])
    assert service.SPEECH_DBFS - 3 < level < service.SPEECH_DBFS + 0.5
    quiet = subprocess.run(
        [get_ffmpeg_exe(), "-loglevel", "error", "-i", "-", "-af", "volume=-18dB", "-f", "mp3", "-"],
        input=mp3,
        capture_output=True,
        check=True,
    ).stdout
    whisper = await studio.editor.post(
        f"{API}/characters/{character['id']}/voices", files={"file": ("quiet.mp3", quiet, "audio/mpeg")}
    )
    assert whisper.status_code == 201, whisper.text
    quiet_file = runtime.paths.inside(
        (await studio.reviewer.get(f"{API}/assets/{whisper.json()['asset_id']}")).json()["path"]
    )
    assert speech_level(quiet_file) == pytest.approx(level, abs=0.5)  # one level, however loud the recording
    await studio.editor.delete(f"{API}/voices/{whisper.json()['id']}")
    preview = await studio.reviewer.get(sample["file_url"])
    assert preview.status_code == 200 and preview.content[:4] == b"RIFF"
    listed = await studio.reviewer.get(f"{API}/characters/{character['id']}/voices")
    assert [v["id"] for v in listed.json()] == [sample["id"]]
    again = await studio.editor.post(
        f"{API}/characters/{character['id']}/voices", files={"file": ("take 2.mp3", mp3, "audio/mpeg")}
    )
    assert again.status_code == 422 and "already" in again.json()["detail"]
    deleted = await studio.editor.delete(f"{API}/voices/{sample['id']}")
    assert deleted.status_code == 204
    assert list(_voices_dir(runtime, project, character).iterdir()) == []


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("notes.wav", b"this is a text file, not a recording\n" * 20, 422, "notes.wav is not"),
        ("empty.wav", b"", 422, "empty.wav is empty"),
        ("zeros.mp3", b"\0" * 200_000, 422, "zeros.mp3"),
    ],
)
async def test_files_that_are_not_audio_are_refused(
    runtime: Runtime, studio: Studio, name: str, content: bytes, status: int, words: str
) -> None:
    project, character = await _character(studio, f"Bad {name}")
    response = await studio.editor.post(
        f"{API}/characters/{character['id']}/voices", files={"file": (name, content, "audio/wav")}
    )
    assert response.status_code == status, response.text
    assert response.json()["detail"].startswith(words)
    assert str(runtime.paths.root) not in response.json()["detail"]
    folder = _voices_dir(runtime, project, character)
    assert not folder.exists() or list(folder.iterdir()) == []


async def test_over_the_limits_is_refused(
    runtime: Runtime, studio: Studio, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project, character = await _character(studio, "Limits")
    mp3 = await spoken("A short line.", tmp_path)
    monkeypatch.setattr(service, "MAX_BYTES", len(mp3) - 1)
    url = f"{API}/characters/{character['id']}/voices"
    too_big = await studio.editor.post(url, files={"file": ("big.mp3", mp3, "audio/mpeg")})
    assert too_big.status_code == 413 and "limited" in too_big.json()["detail"]
    monkeypatch.setattr(service, "MAX_BYTES", 50 * 1024 * 1024)
    monkeypatch.setattr(service, "MAX_SECONDS", 0.5)
    too_long = await studio.editor.post(url, files={"file": ("long.mp3", mp3, "audio/mpeg")})
    assert too_long.status_code == 422 and "limited to" in too_long.json()["detail"]
    folder = _voices_dir(runtime, project, character)
    assert not folder.exists() or list(folder.iterdir()) == []


async def test_reviewers_cannot_upload_and_unknown_characters_are_404(studio: Studio) -> None:
    _, character = await _character(studio, "Roles")
    refused = await studio.reviewer.post(
        f"{API}/characters/{character['id']}/voices", files={"file": ("a.wav", b"x", "audio/wav")}
    )
    assert refused.status_code == 403
    missing = await studio.editor.post(f"{API}/characters/999999/voices", files={"file": ("a.wav", b"x", "audio/wav")})
    assert missing.status_code == 404
