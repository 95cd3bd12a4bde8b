"""Approval of dataset images (events, approval_status.json) and reference image uploads."""

from __future__ import annotations

import io
import json

from PIL import Image

from anime_studio.assets.models import AssetKind, AssetStatus
from anime_studio.events.bus import get_bus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.pipeline.helpers import add_asset, png


async def test_approve_and_reject_emit_events_and_mirror_to_disk(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Show")
    hana = await create_character(studio.editor, project["id"])
    folder = runtime.paths.dataset_images("show", "hana")
    ids = [
        await add_asset(
            runtime,
            png(folder / f"{i}.png"),
            project_id=project["id"],
            kind=AssetKind.image,
            status=AssetStatus.pending,
            character_id=hana["id"],
        )
        for i in range(3)
    ]
    pending = (await studio.reviewer.get(f"{API}/approval/pending", params={"character_id": hana["id"]})).json()
    assert sorted(a["id"] for a in pending) == ids
    async with get_bus().subscribe("image.*") as events:
        ok = await studio.reviewer.post(f"{API}/approval/approve", json={"asset_ids": ids[:2], "approved": True})
        assert ok.status_code == 200 and {a["status"] for a in ok.json()} == {"approved"}
        no = await studio.reviewer.post(
            f"{API}/approval/approve", json={"asset_ids": [ids[2]], "approved": False, "feedback": "two tails"}
        )
        assert no.status_code == 200
        names = [(await events.get()).name for _ in range(3)]
    assert names == ["image.approved", "image.approved", "image.rejected"]
    status = json.loads((folder.parent / "approval_status.json").read_text())
    assert status == {"0.png": "approved", "1.png": "approved", "2.png": "rejected"}
    missing = await studio.reviewer.post(f"{API}/approval/approve", json={"asset_ids": [99999], "approved": True})
    assert missing.status_code == 404


async def test_only_images_can_be_judged(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    clip = await add_asset(
        runtime, png(runtime.paths.root / "x" / "c.png"), project_id=project["id"], kind=AssetKind.clip
    )
    response = await studio.reviewer.post(f"{API}/approval/approve", json={"asset_ids": [clip], "approved": True})
    assert response.status_code == 422


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


async def test_reference_images_upload_list_delete(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Refs")
    pip = await create_character(studio.editor, project["id"], name="Pip")
    url = f"{API}/characters/{pip['id']}/reference-images"
    first = await studio.editor.post(url, files={"file": ("../../evil name.jpg", _jpeg(), "image/jpeg")})
    assert first.status_code == 201 and first.json()["images"] == ["evil-name.png"]
    second = await studio.editor.post(url, files={"file": ("evil name.jpg", _jpeg(), "image/jpeg")})
    assert second.json()["images"] == ["evil-name-2.png", "evil-name.png"]
    folder = runtime.paths.reference_images("refs", "pip")
    assert (folder / "evil-name.png").is_file()
    served = await studio.reviewer.get(f"{url}/evil-name.png")
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert served.content == (folder / "evil-name.png").read_bytes()
    assert (await studio.reviewer.get(f"{url}/missing.png")).status_code == 404
    assert 400 <= (await studio.reviewer.get(f"{url}/..%2F..%2Fapproval_status.json")).status_code < 500
    bad = await studio.editor.post(url, files={"file": ("x.png", b"not an image", "image/png")})
    assert bad.status_code == 422
    assert (await studio.editor.delete(f"{url}/evil-name.png")).status_code == 204
    assert (await studio.editor.delete(f"{url}/evil-name.png")).status_code == 404
    escape = await studio.editor.delete(f"{url}/..%2F..%2Fx")
    assert 400 <= escape.status_code < 500
    assert (await studio.reviewer.get(url)).json()["count"] == 1
