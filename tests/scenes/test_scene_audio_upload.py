"""Scene music uploads: streamed to disk with a cap, real decodable audio only, errors name the upload, no litter."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from imageio_ffmpeg import get_ffmpeg_exe
from sqlalchemy import select
from starlette.datastructures import UploadFile

from anime_studio.assets.models import Asset
from anime_studio.media import uploads
from anime_studio.runtime import Runtime
from anime_studio.scenes import music
from tests.factories import API, Studio, create_project


def _tone(seconds: float) -> bytes:
    command = [
        get_ffmpeg_exe(),
        "-loglevel",
        "error",
        "-f",
        "lavfi",
        "-i",
        f"sine=duration={seconds}",
        "-f",
        "wav",
        "-",
    ]
    return subprocess.run(command, check=True, capture_output=True).stdout


async def _scene(studio: Studio, name: str) -> tuple[dict[str, object], int]:
    """A scene in its own project, so its folder holds only what the test itself stored."""
    project = await create_project(studio.editor, name=name)
    scene = await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "Rooftop"})
    return project, scene.json()["id"]


def _folder(runtime: Runtime, project: dict[str, object], scene_id: int) -> Path:
    return runtime.paths.scene_dir(str(project["slug"]), scene_id)


async def test_zero_bytes_called_mp3_are_refused_without_leaking_paths(runtime: Runtime, studio: Studio) -> None:
    project, scene_id = await _scene(studio, "Zeros")
    zeros = b"\0" * (3 * 1024 * 1024)
    response = await studio.editor.post(
        f"{API}/scenes/{scene_id}/audio", files={"file": ("big.mp3", zeros, "audio/mpeg")}
    )
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert detail.startswith("big.mp3 ") and "/" not in detail and str(runtime.paths.root) not in detail
    folder = _folder(runtime, project, scene_id)
    assert not folder.exists() or list(folder.iterdir()) == []


async def test_oversized_uploads_are_refused_with_413_and_leave_nothing(
    runtime: Runtime, studio: Studio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(music, "MAX_BYTES", 1024 * 1024)
    project, scene_id = await _scene(studio, "Oversized")
    response = await studio.editor.post(
        f"{API}/scenes/{scene_id}/audio", files={"file": ("long.wav", _tone(30), "audio/wav")}
    )
    assert response.status_code == 413, response.text
    folder = _folder(runtime, project, scene_id)
    assert not folder.exists() or list(folder.iterdir()) == []


class _Recording(io.BytesIO):
    """A file that remembers how much each read asked for."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.asked: list[int] = []

    def read(self, size: int | None = -1, /) -> bytes:
        self.asked.append(-1 if size is None else size)
        return super().read(size)


async def test_uploads_are_copied_in_bounded_chunks(tmp_path: Path) -> None:
    source = _Recording(b"x" * (3 * uploads.CHUNK + 5))
    written = await uploads.copy_capped(
        UploadFile(source, filename="a.wav"), tmp_path / "a", max_bytes=10 * uploads.CHUNK, what="music"
    )
    assert written == 3 * uploads.CHUNK + 5
    assert source.asked and all(0 < size <= uploads.CHUNK for size in source.asked)


async def test_a_replaced_track_is_deleted(runtime: Runtime, studio: Studio) -> None:
    project, scene_id = await _scene(studio, "Replaced")
    url = f"{API}/scenes/{scene_id}/audio"
    first = await studio.editor.post(url, files={"file": ("one.wav", _tone(1), "audio/wav")})
    assert first.status_code == 200, first.text
    second = await studio.editor.post(url, files={"file": ("two.wav", _tone(1), "audio/wav")})
    assert second.status_code == 200, second.text
    assert second.json()["music_path"].endswith("assigned_two.wav")
    folder = _folder(runtime, project, scene_id)
    assert sorted(p.name for p in folder.iterdir()) == ["assigned_two.wav"]
    async with runtime.db.transaction() as session:
        stored = (await session.scalars(select(Asset.path).where(Asset.project_id == project["id"]))).all()
    assert [path.rsplit("/", 1)[-1] for path in stored] == ["assigned_two.wav"]
