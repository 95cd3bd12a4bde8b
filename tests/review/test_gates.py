"""Retakes, approvals and the locked cut: publishing (and, if set, assembling) needs approved versions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from anime_studio.runtime import Runtime
from tests.factories import API, Studio
from tests.review.test_versions import review, run, scene_with_shots


async def test_retake_regenerate_approve_then_publish(runtime: Runtime, studio: Studio, worker: object) -> None:
    project, scene, (shot_a, shot_b) = await scene_with_shots(studio, shots=2)
    await run(runtime, studio.editor, f"{API}/scenes/{scene['id']}/generate")
    body = {"project_id": project["id"], "title": "Pilot"}
    episode = (await studio.editor.post(f"{API}/episodes", json=body)).json()
    await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene["id"]})
    await run(runtime, studio.editor, f"{API}/episodes/{episode['id']}/assemble")  # the default gate is publish
    refused = await studio.editor.post(f"{API}/episodes/{episode['id']}/publish")
    assert refused.status_code == 409
    assert refused.json()["detail"] == (
        "cannot publish the episode: not approved: scene 1 (Rooftop) shot 1: in review; "
        "not approved: scene 1 (Rooftop) shot 2: in review; not approved: scene 1 (Rooftop): in review"
    )

    status_url = f"{API}/review/shot/{shot_a}/status"
    assert (await studio.reviewer.post(status_url, json={"status": "retake"})).status_code == 422
    retake = await studio.reviewer.post(status_url, json={"status": "retake", "reason": "hair colour drifts"})
    assert retake.status_code == 200 and retake.json()["history"][-1]["reason"] == "hair colour drifts"
    assert (await studio.reviewer.post(f"{API}/review/shots/{shot_a}/regenerate")).status_code == 403
    still_refused = await studio.editor.post(f"{API}/episodes/{episode['id']}/publish")
    assert "shot 1: retake requested (hair colour drifts)" in still_refused.json()["detail"]
    await run(runtime, studio.editor, f"{API}/review/shots/{shot_a}/regenerate")
    regenerated = await review(studio.reviewer, "shot", shot_a)
    assert [v["number"] for v in regenerated["versions"]] == [1, 2] and regenerated["status"] == "in_review"
    assert len((await review(studio.reviewer, "shot", shot_b))["versions"]) == 1  # only the retaken shot was redone

    for kind, subject in (("shot", shot_a), ("shot", shot_b), ("scene", scene["id"])):
        approved = await studio.reviewer.post(f"{API}/review/{kind}/{subject}/status", json={"status": "approved"})
        assert approved.status_code == 200 and approved.json()["status"] == "approved"
    stale = await studio.editor.post(f"{API}/episodes/{episode['id']}/publish")
    assert stale.status_code == 409 and "assemble the episode again" in stale.json()["detail"]
    await run(runtime, studio.editor, f"{API}/episodes/{episode['id']}/assemble")
    result = await run(runtime, studio.editor, f"{API}/episodes/{episode['id']}/publish")
    scene_version = (await review(studio.reviewer, "scene", scene["id"]))["versions"][-1]
    expected = [
        f"episode {episode['id']} version 2",
        f"scene {scene['id']} version 2: shot {shot_a} v2, shot {shot_b} v1",
    ]
    assert result["versions"] == expected and scene_version["number"] == 2
    episode_versions = (await review(studio.reviewer, "episode", episode["id"]))["versions"]
    assert [v["number"] for v in episode_versions] == [1, 2] and episode_versions[-1]["fps"] == 12  # frame stepping
    nfo = ET.parse(Path(result["published_path"]).with_suffix(".nfo")).getroot()
    assert [e.text for e in nfo.iter("version")] == expected


async def test_locked_cut_refuses_assembly_and_only_admins_change_it(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    project, scene, (shot,) = await scene_with_shots(studio)
    await run(runtime, studio.editor, f"{API}/scenes/{scene['id']}/generate")
    episode = (await studio.editor.post(f"{API}/episodes", json={"project_id": project["id"], "title": "E"})).json()
    await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene["id"]})
    settings = f"{API}/review/projects/{project['id']}/settings"
    assert (await studio.reviewer.get(settings)).json() == {"gate": "publish"}
    assert (await studio.editor.put(settings, json={"gate": "assembly"})).status_code == 403
    assert (await studio.admin.put(settings, json={"gate": "nonsense"})).status_code == 422
    assert (await studio.admin.put(settings, json={"gate": "assembly"})).json() == {"gate": "assembly"}
    refused = await studio.editor.post(f"{API}/episodes/{episode['id']}/assemble")
    assert refused.status_code == 409
    assert "not approved: scene 1 (Rooftop) shot 1: in review" in refused.json()["detail"]
    # approving the scene's cut approves the shot versions it was cut from (the shot itself is still in review)
    await studio.reviewer.post(f"{API}/review/scene/{scene['id']}/status", json={"status": "approved"})
    assert (await review(studio.reviewer, "shot", shot))["status"] == "in_review"
    await run(runtime, studio.editor, f"{API}/episodes/{episode['id']}/assemble")
    await studio.admin.put(settings, json={"gate": "off"})
    await studio.reviewer.post(f"{API}/review/shot/{shot}/status", json={"status": "retake", "reason": "redo"})
    await run(runtime, studio.editor, f"{API}/episodes/{episode['id']}/publish")  # gate off: nothing is checked
