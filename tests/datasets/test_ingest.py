"""Ingestion runs: uploaded images and zips, video frames, linked videos → pending, reviewed dataset images."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from anime_studio.runtime import Runtime
from tests.datasets.media import HANA_APPEARANCE, PIP_APPEARANCE, cut_video, jpeg_of, sheet, zip_of
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("sheets")
    return {name: sheet(folder, name) for name in ("hana", "kai", "pip")}


async def _character(studio: Studio, name: str, appearance: dict[str, Any]) -> dict[str, Any]:
    project = await create_project(studio.editor, name="Data Show")
    return await create_character(studio.editor, project["id"], name=name, appearance_data=appearance)


async def _finish(runtime: Runtime, response: Any) -> dict[str, Any]:
    assert response.status_code == 202, response.text
    run = await wait_for(runtime, response.json()["id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    return dict(run.result)


async def test_images_and_zip_are_ingested_pending_with_duplicates_skipped(
    runtime: Runtime, studio: Studio, worker: object, sheets: dict[str, bytes]
) -> None:
    hana = await _character(studio, "Hana", HANA_APPEARANCE)
    files = [
        ("files", ("hana.png", sheets["hana"], "image/png")),
        ("files", ("hana-again.jpg", jpeg_of(sheets["hana"]), "image/jpeg")),  # re-encoded + resized: near duplicate
        ("files", ("more.zip", zip_of({"set/kai.png": sheets["kai"], "set/hana.png": sheets["hana"]}), "x/zip")),
    ]  # fmt: skip
    result = await _finish(runtime, await studio.editor.post(f"{API}/datasets/{hana['id']}/ingest/images", files=files))
    assert result["candidates"] == 4 and len(result["added"]) == 2
    assert [s["reason"] for s in result["skipped"]] == ["duplicate", "duplicate"]
    assert [s["source"] for s in result["skipped"]] == ["hana-again.jpg", "more.zip:set/hana.png"]
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    by_file = {i["provenance"]["file"]: i for i in view["items"]}
    assert set(by_file) == {"hana.png", "more.zip:set/kai.png"}
    own = by_file["hana.png"]
    assert own["source"] == "upload" and own["provenance"]["ingested_by"] == "eddie"
    assert own["status"] == "approved" and own["review"]["quality_score"] >= 0.8  # a human, solo, top score
    assert own["decisions"][-1]["by"] == "auto-triage (heuristic)" and "auto_approve" in own["decisions"][-1]["reason"]
    assert own["caption"].startswith("hana, ") and "solo" in own["caption"] and "full body" in own["caption"]
    kai = by_file["more.zip:set/kai.png"]
    assert kai["review"]["character_match"] < own["review"]["character_match"]
    folder = runtime.paths.dataset_images("data-show", "hana")
    stored = sorted(p.name for p in folder.glob("*.png"))
    assert len(stored) == 2 and all((folder / n).with_suffix(".txt").is_file() for n in stored)
    statuses = json.loads((folder.parent / "approval_status.json").read_text())
    assert set(statuses) == set(stored)
    assert not any(runtime.paths.uploads().joinpath("datasets").iterdir())  # staging cleaned up
    again = await _finish(
        runtime,
        await studio.editor.post(
            f"{API}/datasets/{hana['id']}/ingest/images", files=[("files", ("k.png", sheets["kai"], "image/png"))]
        ),
    )
    assert again["added"] == [] and again["skipped"] == [{"source": "k.png", "reason": "duplicate"}]


async def test_a_non_human_with_a_top_score_stays_pending(
    runtime: Runtime, studio: Studio, worker: object, sheets: dict[str, bytes]
) -> None:
    pip = await _character(studio, "Pip", PIP_APPEARANCE)
    files = [("files", ("pip.png", sheets["pip"], "image/png"))]
    await _finish(runtime, await studio.editor.post(f"{API}/datasets/{pip['id']}/ingest/images", files=files))
    (item,) = (await studio.reviewer.get(f"{API}/datasets/{pip['id']}")).json()["items"]
    assert item["review"]["quality_score"] >= 0.8 and item["review"]["solo"]
    assert item["status"] == "pending"
    reason = item["decisions"][-1]["reason"]
    assert "never auto-approved" in reason and "species not verified" in reason
    assert item["caption"].startswith("pip, lantern spirit, ")


async def test_video_frames_at_cuts_and_intervals_without_black_blurred_or_duplicates(
    runtime: Runtime, studio: Studio, worker: object, tmp_path: Path
) -> None:
    hana = await _character(studio, "Hana", HANA_APPEARANCE)
    video = cut_video(tmp_path / "clip.mp4")
    response = await studio.editor.post(
        f"{API}/datasets/{hana['id']}/ingest/video",
        files={"file": ("clip.mp4", video.read_bytes(), "video/mp4")},
        data={"every": "1"},
    )
    result = await _finish(runtime, response)
    reasons = sorted(s["reason"].split(" (")[0] for s in result["skipped"])
    assert reasons == ["black frame", "blurred frame", "duplicate"]
    items = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}", params={"source": "video"})).json()["items"]
    stamps = sorted((i["provenance"]["timestamp"], i["provenance"]["picked"]) for i in items)
    assert stamps == [(0.0, "first frame"), (4.0, "scene cut")]
    assert {i["provenance"]["file"] for i in items} == {"clip.mp4"}


@pytest.fixture
def video_server(tmp_path: Path) -> Iterator[str]:
    cut_video(tmp_path / "clip.mp4")
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


async def test_a_linked_video_is_downloaded_with_yt_dlp(
    runtime: Runtime, studio: Studio, worker: object, video_server: str
) -> None:
    hana = await _character(studio, "Hana", HANA_APPEARANCE)
    response = await studio.editor.post(
        f"{API}/datasets/{hana['id']}/ingest/url", json={"url": f"{video_server}/clip.mp4", "every": 1}
    )
    result = await _finish(runtime, response)
    assert len(result["added"]) == 2
    items = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}", params={"source": "url"})).json()["items"]
    assert {i["provenance"]["extractor"] for i in items} == {"generic"}
    assert {i["provenance"]["url"] for i in items} == {f"{video_server}/clip.mp4"}
