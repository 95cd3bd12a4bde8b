"""Versions on the real pipeline: each generation is kept, restore moves the pointer, purge keeps what matters."""

from __future__ import annotations

from typing import Any

from anime_studio.runtime import Runtime
from anime_studio.scenes import runs as scene_runs
from anime_studio.scenes.models import Scene
from tests.factories import API, As, Studio, create_project
from tests.runs import wait_for

SMALL_STYLE = {"width": 160, "height": 96, "fps": 12, "steps": 20}


async def scene_with_shots(studio: Studio, shots: int = 1) -> tuple[dict[str, Any], dict[str, Any], list[int]]:
    project = await create_project(studio.editor, name="Review Show")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    body = {"project_id": project["id"], "title": "Rooftop", "mood": "peaceful"}
    scene = (await studio.editor.post(f"{API}/scenes", json=body)).json()
    ids = [
        (await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json={"duration": 1.0})).json()["id"]
        for _ in range(shots)
    ]
    return project, scene, ids


async def run(runtime: Runtime, user: As, url: str) -> dict[str, Any]:
    response = await user.post(url)
    assert response.status_code == 202, response.text
    done = await wait_for(runtime, response.json()["id"], timeout=120)
    assert done.status.value == "succeeded", done.error
    return dict(done.result)


async def review(user: As, kind: str, subject_id: int) -> dict[str, Any]:
    response = await user.get(f"{API}/review/{kind}/{subject_id}")
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_each_generation_is_a_version_and_restore_moves_the_pointer(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    _, scene, (shot_id,) = await scene_with_shots(studio)
    for _ in range(2):
        await run(runtime, studio.editor, f"{API}/scenes/{scene['id']}/generate")
    shot = await review(studio.reviewer, "shot", shot_id)
    first, second = shot["versions"]
    assert (first["number"], second["number"]) == (1, 2) and shot["current_version_id"] == second["id"]
    assert first["path"] != second["path"] and all(runtime.paths.inside(v["path"]).is_file() for v in (first, second))
    assert first["engine"] == "kenburns" and first["seed"] is not None and first["created_by"] is not None
    scene_review = await review(studio.reviewer, "scene", scene["id"])
    assert [v["number"] for v in scene_review["versions"]] == [1, 2]
    assert scene_review["versions"][1]["provenance"]["shot_versions"] == [
        {"shot_id": shot_id, "version_id": second["id"], "number": 2}
    ]
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert detail["output_path"] == scene_review["versions"][1]["path"]
    assert (await studio.reviewer.get(first["file_url"])).status_code == 200

    refused = await studio.reviewer.post(f"{API}/review/versions/{first['id']}/restore")
    assert refused.status_code == 403
    restored = await studio.editor.post(f"{API}/review/versions/{first['id']}/restore")
    assert restored.status_code == 200, restored.text
    assert restored.json()["current_version_id"] == first["id"] and restored.json()["status"] == "in_review"
    assert restored.json()["history"][-1]["reason"] == "restored version 1"
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert detail["shots"][0]["output_path"] == first["path"]
    async with runtime.db.sessionmaker() as session:
        row = await session.get(Scene, scene["id"])
        assert row is not None
        problem = await scene_runs.video_problem(session=session, scene=row)
    assert problem is not None and "changed after its video was made" in problem


async def test_purge_keeps_current_and_approved_versions(runtime: Runtime, studio: Studio, worker: object) -> None:
    project, scene, (shot_id,) = await scene_with_shots(studio)
    for _ in range(3):
        await run(runtime, studio.editor, f"{API}/scenes/{scene['id']}/generate")
    shot = await review(studio.reviewer, "shot", shot_id)
    v1, v2, v3 = shot["versions"]
    # approve version 1 (restore it, approve it), then go back to version 3 as the current one
    await studio.editor.post(f"{API}/review/versions/{v1['id']}/restore")
    approved = await studio.reviewer.post(f"{API}/review/shot/{shot_id}/status", json={"status": "approved"})
    assert approved.json()["approved_version_id"] == v1["id"]
    await studio.editor.post(f"{API}/review/versions/{v3['id']}/restore")
    storage = (await studio.reviewer.get(f"{API}/review/projects/{project['id']}/storage")).json()
    # scene versions 1 and 2 and shot version 2 are neither current nor approved
    assert storage["purgeable_versions"] == 3 and storage["by_type"]["shot"]["versions"] == 3
    assert storage["total_bytes"] > storage["purgeable_bytes"] > 0
    for user in (studio.reviewer, studio.editor):
        assert (await user.post(f"{API}/review/projects/{project['id']}/purge")).status_code == 403
    purged = await studio.admin.post(f"{API}/review/projects/{project['id']}/purge")
    assert purged.status_code == 200, purged.text
    assert purged.json() == {"purged_versions": 3, "freed_bytes": storage["purgeable_bytes"]}
    assert not runtime.paths.inside(v2["path"]).exists()
    assert runtime.paths.inside(v1["path"]).is_file() and runtime.paths.inside(v3["path"]).is_file()
    shot = await review(studio.reviewer, "shot", shot_id)
    assert shot["versions"][1]["purged_at"] is not None and shot["versions"][1]["file_url"] == ""
    gone = await studio.editor.post(f"{API}/review/versions/{v2['id']}/restore")
    assert gone.status_code == 409 and "purged" in gone.json()["detail"]
    after = (await studio.reviewer.get(f"{API}/review/projects/{project['id']}/storage")).json()
    assert after["purgeable_versions"] == 0
    assert after["total_bytes"] == storage["total_bytes"] - storage["purgeable_bytes"]
