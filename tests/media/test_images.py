"""One image-decode helper: image bombs refused from the header (413), non-images named by upload only (422)."""

from __future__ import annotations

import io
import struct
import subprocess
import zlib

import pytest
from imageio_ffmpeg import get_ffmpeg_exe
from PIL import Image

from anime_studio.assets.models import AssetKind
from anime_studio.media import images
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.pipeline.helpers import add_asset


def bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A small valid PNG whose header claims ``width``×``height`` pixels (what a decompression bomb looks like)."""
    buffer = io.BytesIO()
    Image.new("L", (1, 1)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    ihdr = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + ihdr))
    return bytes(data)


def test_the_helper_refuses_bombs_before_decoding() -> None:
    with pytest.raises(images.ImageTooLarge):
        images.decoded(bomb())  # beyond Pillow's own guard (DecompressionBombError)
    with pytest.raises(images.ImageTooLarge, match="9000×9000"):
        images.decoded(bomb(9000, 9000))  # between ours and Pillow's (only a warning there)
    with pytest.raises(images.UnreadableImage, match=r"^notes\.txt is not a readable image"):
        images.decoded(b"hello", name="notes.txt")
    assert images.decoded(bomb(1, 1)).size == (1, 1)


async def test_an_image_bomb_upload_is_refused_with_413(studio: Studio) -> None:
    project = await create_project(studio.editor)
    character = await create_character(studio.editor, project["id"])
    url = f"{API}/characters/{character['id']}/reference-images"
    response = await studio.editor.post(url, files={"file": ("big.png", bomb(), "image/png")})
    assert response.status_code == 413, response.text
    assert response.json()["detail"].startswith("big.png is")
    junk = await studio.editor.post(url, files={"file": ("/etc/junk.png", b"junk", "image/png")})
    assert junk.status_code == 422 and junk.json()["detail"].startswith("junk.png is not")
    assert (await studio.reviewer.get(url)).json()["count"] == 0


async def test_thumbnails_of_audio_are_waveforms_and_other_files_404(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    folder = runtime.paths.root / "thumbs-test"
    folder.mkdir(parents=True, exist_ok=True)
    wav = folder / "tone.wav"
    subprocess.run(
        [get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", str(wav)],
        check=True,
    )
    text = folder / "notes.mp3"
    text.write_bytes(b"\0" * 4096)
    audio_id = await add_asset(runtime, wav, project_id=project["id"], kind=AssetKind.audio)
    junk_id = await add_asset(runtime, text, project_id=project["id"], kind=AssetKind.audio)
    thumb = await studio.reviewer.get(f"{API}/assets/{audio_id}/thumbnail")
    assert thumb.status_code == 200 and thumb.headers["content-type"] == "image/jpeg"
    with Image.open(io.BytesIO(thumb.content)) as picture:
        assert picture.size == (480, 160)
    assert (await studio.reviewer.get(f"{API}/assets/{junk_id}/thumbnail")).status_code == 404
