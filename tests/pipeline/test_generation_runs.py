"""Character generation on the embedded engines: files, provenance, review, auto-triage rules, events."""

from __future__ import annotations

import json
from typing import Any

from anime_studio.events.bus import get_bus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for

SMALL_STYLE = {"width": 320, "height": 192, "fps": 12}


async def _project_with_cast(studio: Studio) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    project = await create_project(studio.editor, name="Gen Test")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    hana = await create_character(
        studio.editor,
        project["id"],
        name="Hana",
        appearance_data={"species": "human", "key_colors": {"raincoat": "#f2c14e", "scarf": "#c0392b"}},
    )
    pip = await create_character(
        studio.editor,
        project["id"],
        name="Pip",
        design_prompt="lantern spirit, round glowing body",
        appearance_data={"species": "lantern spirit (NOT human)", "key_colors": {"body": "#f39c12"}},
    )
    return project, hana, pip


async def test_generated_images_land_reviewed_with_provenance(runtime: Runtime, studio: Studio, worker: object) -> None:
    project, hana, pip = await _project_with_cast(studio)
    async with get_bus().subscribe("generation.*", "image.*") as events:
        runs = [
            await studio.editor.post(f"{API}/generate/{c['id']}", json={"count": 2, "seed": 42}) for c in (hana, pip)
        ]
        assert all(r.status_code == 202 for r in runs)
        finished = [await wait_for(runtime, r.json()["id"], timeout=60) for r in runs]
        seen = []
        while not events.queue.empty():
            seen.append(events.queue.get_nowait().name)
    assert [f.status.value for f in finished] == ["succeeded", "succeeded"], [f.error for f in finished]
    assert seen.count("generation.submitted") == 2 and seen.count("generation.completed") == 4
    images = (await studio.reviewer.get(f"{API}/gallery", params={"project_id": project["id"], "kind": "image"})).json()
    assert len(images["items"]) == 4
    for item in images["items"]:
        detail = (await studio.reviewer.get(f"{API}/assets/{item['id']}")).json()
        provenance, review = detail["provenance"], detail["review"]
        assert provenance["engine"] == "storyboard" and provenance["seed"] in (42, 43)
        assert provenance["prompt"].startswith("masterpiece") and provenance["negative"]
        assert 0 <= review["quality_score"] <= 1 and detail["quality_score"] == review["quality_score"]
        assert runtime.paths.inside(detail["path"]).is_file()
    pip_images = [i for i in images["items"] if i["character_id"] == pip["id"]]
    assert all(i["status"] in ("pending", "rejected") for i in pip_images)  # non-humans never auto-approve
    folder = runtime.paths.dataset_images("gen-test", "pip")
    files = sorted(p.name for p in folder.iterdir())
    assert sum(name.endswith(".png") for name in files) == 2
    assert sum(name.endswith(".txt") for name in files) == 2 and sum(name.endswith(".meta.json") for name in files) == 2
    status = json.loads((folder.parent / "approval_status.json").read_text())
    assert set(status) == {n for n in files if n.endswith(".png")}


async def test_human_images_auto_approve_and_gates_are_honoured(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    _, hana, _ = await _project_with_cast(studio)
    run = await studio.editor.post(f"{API}/generate/{hana['id']}", json={"count": 1, "seed": 7})
    finished = await wait_for(runtime, run.json()["id"], timeout=60)
    asset = (await studio.reviewer.get(f"{API}/gallery", params={"character_id": hana["id"]})).json()["items"][0]
    expected = (
        "approved" if asset["quality_score"] >= 0.8 else "pending" if asset["quality_score"] >= 0.4 else "rejected"
    )
    assert finished.result["statuses"] == [expected] and asset["status"] == expected
    await studio.editor.put(f"{API}/quality/gates", json={"auto_reject": 0.99, "auto_approve": 1.0})
    again = await studio.editor.post(f"{API}/generate/{hana['id']}", json={"count": 1, "seed": 8})
    assert (await wait_for(runtime, again.json()["id"], timeout=60)).result["statuses"] == ["rejected"]


async def test_video_of_a_character_image(runtime: Runtime, studio: Studio, worker: object) -> None:
    _, hana, pip = await _project_with_cast(studio)
    images = await studio.editor.post(f"{API}/generate/{hana['id']}", json={"count": 1, "seed": 3})
    await wait_for(runtime, images.json()["id"], timeout=60)
    image = (await studio.reviewer.get(f"{API}/gallery", params={"character_id": hana["id"]})).json()["items"][0]
    wrong = await studio.editor.post(
        f"{API}/generate/{pip['id']}", json={"kind": "video", "source_asset_id": image["id"]}
    )
    assert wrong.status_code == 422
    video = await studio.editor.post(
        f"{API}/generate/{hana['id']}", json={"kind": "video", "source_asset_id": image["id"], "duration": 1.5}
    )
    run = await wait_for(runtime, video.json()["id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    clip = (await studio.reviewer.get(f"{API}/assets/{run.result['asset_id']}")).json()
    assert clip["kind"] == "video" and clip["source_asset_id"] == image["id"]
    assert abs(clip["duration"] - 1.5) < 0.1 and (clip["width"], clip["height"]) == (320, 192)
    assert runtime.paths.inside(clip["path"]).suffix == ".mp4" and runtime.paths.inside(clip["path"]).is_file()


async def test_generation_needs_a_prompt(studio: Studio) -> None:
    project = await create_project(studio.editor)
    blank = await create_character(studio.editor, project["id"], name="Blank", design_prompt="")
    response = await studio.editor.post(f"{API}/generate/{blank['id']}", json={"count": 1})
    assert response.status_code == 422 and "design prompt" in response.json()["detail"]
    assert (await studio.editor.post(f"{API}/generate/999", json={})).status_code == 404
    assert (await studio.editor.post(f"{API}/generate/{blank['id']}", json={"count": 99})).status_code == 422
