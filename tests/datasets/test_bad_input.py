"""Bad ingestion input gets a clear 4xx, writes nothing outside the media root and leaves no staging behind."""

from __future__ import annotations

import resource
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from anime_studio.runtime import Runtime
from tests.datasets.media import huge_png_header, zip_of
from tests.factories import API, Studio, create_character, create_project


def _leftovers(runtime: Runtime) -> list[Path]:
    staging = runtime.paths.uploads() / "datasets"
    return list(staging.iterdir()) if staging.is_dir() else []


@pytest.fixture
async def url(studio: Studio) -> str:
    project = await create_project(studio.editor, name="Bad Input")
    character = await create_character(studio.editor, project["id"], name="Hana")
    return f"{API}/datasets/{character['id']}/ingest"


async def test_non_image_zip_slip_and_pixel_bomb_are_refused(runtime: Runtime, studio: Studio, url: str) -> None:
    cases = {
        "text.png": (b"this is not an image", 422, "not a readable image"),
        "slip.zip": (zip_of({"../../evil.png": huge_png_header(8, 8)}), 422, "zip slip"),
        "abs.zip": (zip_of({"/etc/evil.png": b"x"}), 422, "zip slip"),
        "huge.png": (huge_png_header(), 413, "over 40 megapixels"),
        "big.png": (huge_png_header(9000, 9000), 413, "9000×9000 pixels; images are limited to 40 megapixels"),
        "zipped-huge.zip": (zip_of({"a/huge.png": huge_png_header()}), 413, "over 40 megapixels"),
        "bomb.zip": (zip_of({"bomb.png": b"\0" * (50 * 1024 * 1024)}), 413, "decompression bomb"),
    }
    for name, (data, code, detail) in cases.items():
        response = await studio.editor.post(f"{url}/images", files=[("files", (name, data, "image/png"))])
        assert response.status_code == code, (name, response.text)
        assert detail in response.json()["detail"], (name, response.json())
    assert _leftovers(runtime) == []
    assert not any(runtime.paths.root.parent.glob("**/evil.png"))
    assert not list(runtime.paths.root.glob("datasets/bad-input/**/*.png"))


async def test_bad_video_and_links(runtime: Runtime, studio: Studio, url: str) -> None:
    response = await studio.editor.post(f"{url}/video", files={"file": ("clip.mp4", b"\0" * 4096, "video/mp4")})
    assert response.status_code == 422 and "not a readable video" in response.json()["detail"]
    for link in ("file:///etc/passwd", "ftp://example.com/a.mp4", "ytsearch:cats", "http:///nohost"):
        response = await studio.editor.post(f"{url}/url", json={"url": link})
        assert response.status_code == 422, (link, response.text)
    assert _leftovers(runtime) == []


async def test_a_200_mb_upload_is_refused_with_bounded_memory(runtime: Runtime, studio: Studio, url: str) -> None:
    size = 200_000_000
    boundary = "b0undary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        "Content-Type: video/mp4\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    async def body() -> AsyncIterator[bytes]:
        yield head
        chunk = b"\0" * (1 << 20)
        for _ in range(size // len(chunk)):
            yield chunk
        yield tail

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    response = await studio.editor.post(
        f"{url}/video",
        content=body(),
        headers={
            "content-type": f"multipart/form-data; boundary={boundary}",
            "content-length": str(len(head) + size // (1 << 20) * (1 << 20) + len(tail)),
        },
    )
    grown_mib = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert response.status_code == 413, response.text
    # the route's own cap answered, not the app-wide body limit
    assert response.json()["detail"] == "the upload is too large for this request"
    assert grown_mib < 64, f"peak memory grew by {grown_mib:.0f} MiB"
    assert _leftovers(runtime) == []
    assert (await studio.reviewer.get(f"{API}/health")).status_code == 200
