"""The Approve tab's API: filtered view with counts vs target, decisions with reasons and undo, captions,
promotion to reference image, kohya export (zip and folder) with a manifest."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest

from anime_studio.events.bus import get_bus
from anime_studio.runtime import Runtime
from tests.datasets.media import HANA_APPEARANCE, sheet
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("sheets")
    return {name: sheet(folder, name) for name in ("hana", "kai", "pip")}


async def _dataset(runtime: Runtime, studio: Studio, sheets: dict[str, bytes]) -> tuple[dict[str, Any], list[int]]:
    project = await create_project(studio.editor, name="Approve Show")
    appearance = {**HANA_APPEARANCE, "key_features": ["yellow raincoat hood"], "common_errors": ["umbrella"]}
    hana = await create_character(studio.editor, project["id"], name="Hana", appearance_data=appearance)
    files = [("files", (f"{n}.png", data, "image/png")) for n, data in sheets.items()]
    response = await studio.editor.post(f"{API}/datasets/{hana['id']}/ingest/images", files=files)
    run = await wait_for(runtime, response.json()["id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    return hana, list(run.result["added"])


async def test_review_with_reasons_undo_filters_and_events(
    runtime: Runtime, studio: Studio, worker: object, sheets: dict[str, bytes]
) -> None:
    hana, ids = await _dataset(runtime, studio, sheets)
    url = f"{API}/datasets/{hana['id']}"
    view = (await studio.reviewer.get(url)).json()
    assert view["settings"] == {"trigger": "hana", "repeats": 10, "target": 20}
    assert sum(view["counts"].values()) == 3 and len(view["items"]) == 3
    assert "key colour raincoat (#f2c14e)" in view["checks"]  # as the heuristic reviewer names them
    assert "wrong raincoat (should be #f2c14e)" in view["reject_reasons"] and "has umbrella" in view["reject_reasons"]
    assert "not solo" in view["reject_reasons"]
    pending = [i["id"] for i in view["items"] if i["status"] == "pending"]
    assert pending, "Kai and Pip reviewed as Hana do not auto-approve"
    failed = (await studio.reviewer.get(url, params={"failed_check": "key colour raincoat (#f2c14e)"})).json()
    assert failed["items"] and all(
        i["review"]["feature_checklist"]["key colour raincoat (#f2c14e)"] is False for i in failed["items"]
    )
    assert len(failed["items"]) < len(view["items"])
    high = (await studio.reviewer.get(url, params={"min_score": 0.8, "source": "upload"})).json()["items"]
    assert all(i["quality_score"] >= 0.8 for i in high) and len(high) >= 1
    assert (await studio.reviewer.get(url, params={"source": "generated"})).json()["items"] == []

    target = pending[0]
    async with get_bus().subscribe("image.*", "feedback.*") as events:
        rejected = await studio.reviewer.post(
            f"{url}/review", json={"asset_ids": [target], "status": "rejected", "reason": "not solo"}
        )
        assert rejected.status_code == 200 and rejected.json()[0]["status"] == "rejected"
        undone = await studio.reviewer.post(f"{url}/review", json={"asset_ids": [target], "status": "pending"})
        assert undone.json()[0]["status"] == "pending"
        approved = await studio.reviewer.post(f"{url}/review", json={"asset_ids": [target], "status": "approved"})
        names = [(await events.get()).name for _ in range(3)]
    assert names == ["image.rejected", "feedback.recorded", "image.approved"]
    decisions = approved.json()[0]["decisions"]
    assert [(d["status"], d["by"]) for d in decisions[-3:]] == [
        ("rejected", "rita"), ("pending", "rita"), ("approved", "rita"),
    ]  # fmt: skip
    assert decisions[-3]["reason"] == "not solo" and decisions[-2]["previous"] == "rejected"
    status = json.loads((runtime.paths.dataset("approve-show", "hana") / "approval_status.json").read_text())
    assert list(status.values()).count("approved") == (await studio.reviewer.get(url)).json()["counts"]["approved"]

    other = await create_character(studio.editor, hana["project_id"], name="Kai")
    wrong = await studio.reviewer.post(
        f"{API}/datasets/{other['id']}/review", json={"asset_ids": [target], "status": "approved"}
    )
    assert wrong.status_code == 422
    assert (await studio.reviewer.post(f"{url}/review", json={"asset_ids": ids, "status": "ready"})).status_code == 422


async def test_caption_edit_promote_and_kohya_export(
    runtime: Runtime, studio: Studio, worker: object, sheets: dict[str, bytes]
) -> None:
    hana, ids = await _dataset(runtime, studio, sheets)
    url = f"{API}/datasets/{hana['id']}"
    await studio.reviewer.post(f"{url}/review", json={"asset_ids": ids, "status": "rejected", "reason": "off-model"})
    assert (await studio.reviewer.get(f"{url}/export.zip")).status_code == 422
    await studio.reviewer.post(f"{url}/review", json={"asset_ids": ids[:2], "status": "approved"})
    edited = await studio.reviewer.put(f"{API}/dataset-images/{ids[0]}/caption", json={"caption": "hana, waving"})
    assert edited.status_code == 200 and edited.json()["caption"] == "hana, waving"
    bad = await studio.reviewer.put(f"{API}/dataset-images/{ids[0]}/caption", json={"caption": "a\u0000b"})
    assert bad.status_code == 422
    settings = await studio.editor.put(f"{url}/settings", json={"trigger": "hnaoy", "repeats": 5, "target": 30})
    assert settings.json() == {"trigger": "hnaoy", "repeats": 5, "target": 30}

    promoted = await studio.editor.post(f"{API}/dataset-images/{ids[0]}/promote")
    assert promoted.status_code == 200
    refs = (await studio.reviewer.get(f"{API}/characters/{hana['id']}/reference-images")).json()
    assert refs["images"] == [promoted.json()["name"]]
    assert (await studio.editor.post(f"{API}/dataset-images/{ids[2]}/promote")).status_code == 422

    download = await studio.reviewer.get(f"{url}/export.zip")
    assert download.status_code == 200 and download.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    names = sorted(archive.namelist())
    assert names == sorted(
        [f"5_hnaoy/{i:06d}.png" for i in ids[:2]] + [f"5_hnaoy/{i:06d}.txt" for i in ids[:2]] + ["manifest.json"]
    )
    assert archive.read(f"5_hnaoy/{ids[0]:06d}.txt").decode() == "hnaoy, waving"  # the trigger followed
    manifest = json.loads(archive.read("manifest.json"))
    assert [m["asset_id"] for m in manifest["images"]] == ids[:2] and manifest["folder"] == "5_hnaoy"
    assert manifest["images"][0]["caption_sha256"] == hashlib.sha256(b"hnaoy, waving").hexdigest()
    assert not list((runtime.paths.uploads() / "exports").iterdir())  # the temporary zip is gone

    written = await studio.editor.post(f"{url}/export")
    assert written.status_code == 200
    folder = runtime.paths.inside(written.json()["folder"])
    assert folder.is_relative_to(runtime.paths.root / "exports")
    assert written.json()["manifest"]["snapshot"] == manifest["snapshot"]  # same approved set and captions
    stored = runtime.paths.dataset_images("approve-show", "hana")
    caption = next(stored.glob(f"*_{ids.index(ids[1]):04d}.txt")).read_text()
    assert caption.startswith("hnaoy, ")  # the new trigger word replaced "hana" at the head of the caption
    assert (folder / "5_hnaoy" / f"{ids[1]:06d}.txt").read_text() == caption
    await studio.reviewer.put(f"{API}/dataset-images/{ids[1]}/caption", json={"caption": "hana, running"})
    changed = (await studio.editor.post(f"{url}/export")).json()
    assert changed["manifest"]["snapshot"] != manifest["snapshot"] and changed["folder"] != written.json()["folder"]


async def test_pending_images_are_triaged_again_under_new_gates(
    runtime: Runtime, studio: Studio, worker: object, sheets: dict[str, bytes]
) -> None:
    strict = await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 1.0, "auto_reject": 0.01})
    assert strict.status_code == 200
    hana, _ = await _dataset(runtime, studio, sheets)
    url = f"{API}/datasets/{hana['id']}"
    before = {i["id"]: i for i in (await studio.reviewer.get(url)).json()["items"]}
    pending = sorted(i for i, item in before.items() if item["status"] == "pending")
    assert len(pending) == 3
    kept, waiting = pending[0], pending[1:]
    await studio.reviewer.post(f"{url}/review", json={"asset_ids": [kept], "status": "rejected", "reason": "off-model"})
    gates = await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 0.05, "auto_reject": 0.01})
    assert gates.status_code == 200
    run = await studio.editor.post(f"{url}/triage")
    assert run.status_code == 202
    finished = await wait_for(runtime, run.json()["id"], timeout=60)
    assert finished.status.value == "succeeded", finished.error
    assert finished.result["reviewed"] == len(waiting)
    after = {i["id"]: i for i in (await studio.reviewer.get(url)).json()["items"]}
    assert after[kept]["status"] == "rejected" and after[kept]["decisions"][-1]["by"] == "rita"
    for asset_id in waiting:
        item, last = after[asset_id], after[asset_id]["decisions"][-1]
        assert last["by"] == "auto-triage (heuristic)" and len(item["decisions"]) == 2
        expected = "approved" if item["review"]["solo"] else "pending"
        assert item["status"] == expected, last["reason"]
        assert "0.05" in last["reason"]
