"""Scene builder API: scenes, shots, ordering, validation, presets, runs refusing double starts."""

from __future__ import annotations

from typing import Any

from anime_studio.assets.models import AssetKind, AssetStatus
from anime_studio.runtime import Runtime
from tests.factories import API, As, Studio, create_character, create_project
from tests.pipeline.helpers import add_asset, png


async def _scene(user: As, project_id: int, **fields: Any) -> dict[str, Any]:
    response = await user.post(f"{API}/scenes", json={"project_id": project_id, "title": "Harbour", **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_scenes_are_numbered_and_listed_per_project(studio: Studio) -> None:
    project = await create_project(studio.editor)
    first = await _scene(studio.editor, project["id"], location="harbour", time_of_day="night", mood="tense")
    second = await _scene(studio.editor, project["id"], title="Lighthouse")
    assert (first["scene_number"], second["scene_number"]) == (1, 2)
    assert first["continuity"] == "chain" and first["status"] == "draft"
    listed = (await studio.reviewer.get(f"{API}/scenes", params={"project_id": project["id"]})).json()
    assert [s["title"] for s in listed] == ["Harbour", "Lighthouse"]
    assert (await studio.reviewer.get(f"{API}/scenes")).status_code == 422
    assert (await studio.reviewer.get(f"{API}/scenes", params={"project_id": 999})).status_code == 404
    patched = await studio.editor.patch(
        f"{API}/scenes/{first['id']}", json={"weather": "rain", "continuity": "keyframes"}
    )
    assert patched.json()["weather"] == "rain" and patched.json()["continuity"] == "keyframes"
    assert (await studio.editor.delete(f"{API}/scenes/{second['id']}")).status_code == 204
    assert (await studio.reviewer.get(f"{API}/scenes/{second['id']}")).status_code == 404


async def test_shots_insert_reorder_delete_keep_positions_dense(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scene = await _scene(studio.editor, project["id"])
    url = f"{API}/scenes/{scene['id']}/shots"
    a = (await studio.editor.post(url, json={"shot_type": "establishing"})).json()
    b = (await studio.editor.post(url, json={"shot_type": "close-up", "transition_type": "fade"})).json()
    c = (await studio.editor.post(url, json={"shot_type": "wide", "position": 1})).json()
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert [s["id"] for s in detail["shots"]] == [c["id"], a["id"], b["id"]]
    assert [s["position"] for s in detail["shots"]] == [1, 2, 3] and detail["total_shots"] == 3
    reordered = await studio.editor.put(
        f"{API}/scenes/{scene['id']}/reorder", json={"shot_ids": [b["id"], a["id"], c["id"]]}
    )
    assert [s["id"] for s in reordered.json()] == [b["id"], a["id"], c["id"]]
    bad = await studio.editor.put(f"{API}/scenes/{scene['id']}/reorder", json={"shot_ids": [b["id"], a["id"]]})
    assert bad.status_code == 422
    assert (await studio.editor.delete(f"{url}/{a['id']}")).status_code == 204
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert [(s["id"], s["position"]) for s in detail["shots"]] == [(b["id"], 1), (c["id"], 2)]
    assert b["transition_type"] == "fade" and b["transition_duration"] == 0.3 and b["duration"] == 3.0


async def test_shot_validation(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="One")
    other = await create_project(studio.editor, name="Two")
    hana = await create_character(studio.editor, project["id"])
    stranger = await create_character(studio.editor, other["id"], name="Stranger")
    scene = await _scene(studio.editor, project["id"])
    url = f"{API}/scenes/{scene['id']}/shots"
    for body in (
        {"shot_type": "dolly"},
        {"transition_type": "spin"},
        {"duration": 0},
        {"duration": 500},
        {"transition_duration": 9},
        {"dialogue_text": "x\x00y"},
        {"source_image_path": "../../etc/passwd"},
        {"source_image_path": "nope.png"},
    ):
        response = await studio.editor.post(url, json=body)
        assert response.status_code == 422, (body, response.text)
    wrong_cast = await studio.editor.post(url, json={"dialogue_character_id": stranger["id"]})
    assert wrong_cast.status_code == 422 and "not in this project" in wrong_cast.json()["detail"]
    their_image = await add_asset(
        runtime, png(runtime.paths.root / "t" / "x.png"), project_id=other["id"], kind=AssetKind.image
    )
    assert (await studio.editor.post(url, json={"source_asset_id": their_image})).status_code == 422
    mine = await add_asset(
        runtime,
        png(runtime.paths.root / "m" / "y.png"),
        project_id=project["id"],
        kind=AssetKind.image,
        status=AssetStatus.approved,
        character_id=hana["id"],
    )
    ok = await studio.editor.post(
        url,
        json={
            "source_asset_id": mine,
            "dialogue_character_id": hana["id"],
            "dialogue_text": "Hello!",
            "characters": [hana["id"]],
            "camera_angle": "low_angle",
        },
    )
    assert ok.status_code == 201 and ok.json()["source_image_path"] == "m/y.png"
    cleared = await studio.editor.patch(f"{url}/{ok.json()['id']}", json={"clear_source_image": True})
    assert cleared.json()["source_image_path"] is None
    picker = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}/approved-images")).json()
    assert [i["id"] for i in picker["characters"][str(hana["id"])]["images"]] == [mine]


async def test_motion_presets(studio: Studio) -> None:
    everything = (await studio.reviewer.get(f"{API}/scenes/motion-presets")).json()["presets"]
    assert list(everything) == ["establishing", "wide", "medium", "close-up", "extreme_close-up", "action"]
    assert sum(len(v) for v in everything.values()) == 27
    one = (await studio.reviewer.get(f"{API}/scenes/motion-presets", params={"shot_type": "action"})).json()
    assert one["shot_type"] == "action" and len(one["presets"]) == 5
    unknown = (await studio.reviewer.get(f"{API}/scenes/motion-presets", params={"shot_type": "x"})).json()
    assert unknown["presets"] == []


async def test_generation_runs_refuse_empty_or_busy_scenes(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scene = await _scene(studio.editor, project["id"])
    empty = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    assert empty.status_code == 422 and "no shots" in empty.json()["detail"]
    await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json={})
    first = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    assert first.status_code == 202 and first.json()["kind"] == "scene.generate"
    again = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    assert again.status_code == 409 and f"job {first.json()['id']}" in again.json()["detail"]
    status = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}/status")).json()
    assert status["run_id"] == first.json()["id"] and status["run_status"] == "queued" and status["status"] == "queued"
    nothing = await studio.editor.post(f"{API}/scenes/{scene['id']}/assemble")
    assert nothing.status_code == 422
    assert (await studio.reviewer.get(f"{API}/scenes/{scene['id']}/video")).status_code == 404


async def test_music_upload_and_removal(studio: Studio) -> None:
    import io
    import wave

    project = await create_project(studio.editor)
    scene = await _scene(studio.editor, project["id"])
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(b"\x00\x10" * 22050)
    url = f"{API}/scenes/{scene['id']}/audio"
    uploaded = await studio.editor.post(
        url, files={"file": ("my song.wav", buffer.getvalue(), "audio/wav")}, params={"volume": 0.25}
    )
    assert uploaded.status_code == 200, uploaded.text
    assert uploaded.json()["music_path"].endswith("assigned_my-song.wav") and uploaded.json()["music"]["volume"] == 0.25
    junk = await studio.editor.post(url, files={"file": ("x.wav", b"RIFFjunk", "audio/wav")})
    assert junk.status_code == 422
    exe = await studio.editor.post(url, files={"file": ("x.exe", b"MZ", "application/octet-stream")})
    assert exe.status_code == 422
    removed = await studio.editor.delete(url)
    assert removed.json()["music_path"] is None


async def test_file_endpoints_answer_head(studio: Studio) -> None:
    project = await create_project(studio.editor)
    scene = await _scene(studio.editor, project["id"])
    response = await studio.reviewer.request("HEAD", f"{API}/scenes/{scene['id']}/video")
    assert response.status_code == 404  # routed (not 405), nothing rendered yet
