"""Scene generation on the embedded engines: continuity chain, progressive gates, audio, resume, regenerate."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from anime_studio.events.bus import get_bus
from anime_studio.media.delivery import CEILING_DBTP, TARGET_LUFS, measure
from anime_studio.media.probe import probe
from anime_studio.runtime import Runtime
from anime_studio.scenes.models import Scene
from tests.factories import API, Studio, create_character, create_project
from tests.runs import wait_for

SMALL_STYLE = {"width": 320, "height": 192, "fps": 12, "steps": 20}


async def _scene(studio: Studio, *, continuity: str = "chain", shots: int = 3) -> tuple[dict[str, Any], list[int]]:
    project = await create_project(studio.editor, name="Scene Gen")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    hana = await create_character(studio.editor, project["id"], voice={"voice": "en-us+f3", "pitch": 60})
    scene = (
        await studio.editor.post(
            f"{API}/scenes",
            json={
                "project_id": project["id"],
                "title": "Rooftop",
                "location": "town rooftop",
                "time_of_day": "sunset",
                "mood": "peaceful",
                "continuity": continuity,
            },
        )
    ).json()
    ids = []
    for n in range(shots):
        body = {
            "shot_type": ("establishing", "medium", "close-up")[n % 3],
            "duration": 1.5,
            "characters": [hana["id"]],
            "transition_type": "dissolve",
            "transition_duration": 0.3,
        }
        if n > 0:
            body |= {"dialogue_character_id": hana["id"], "dialogue_text": f"Line number {n}."}
        ids.append((await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json=body)).json()["id"])
    return scene, ids


async def _generate(runtime: Runtime, studio: Studio, scene_id: int) -> Any:
    response = await studio.editor.post(f"{API}/scenes/{scene_id}/generate")
    assert response.status_code == 202, response.text
    run = await wait_for(runtime, response.json()["id"], timeout=120)
    assert run.status.value == "succeeded", run.error
    return run


async def test_chain_gates_audio_and_subtitles(runtime: Runtime, studio: Studio, worker: object) -> None:
    scene, ids = await _scene(studio)
    async with get_bus().subscribe("scene.updated") as updates:
        run = await _generate(runtime, studio, scene["id"])
        statuses = []
        while not updates.queue.empty():
            statuses.append(updates.queue.get_nowait().data.get("shot_status"))
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    shots = detail["shots"]
    assert detail["status"] == "completed" and detail["completed_shots"] == 3
    assert statuses.count("generating") == 3 and statuses.count("completed") + statuses.count("low_quality") == 3
    # continuity: establishing, medium, close-up: each new framing is composed from its own keyframe
    assert all(shot["keyframe_path"] is not None for shot in shots)
    first_frames = [
        (await studio.reviewer.get(f"{API}/gallery", params={"scene_id": scene["id"], "kind": "clip"})).json()
    ]
    assert len(first_frames[0]["items"]) == 3
    output = runtime.paths.inside(detail["output_path"])
    info = probe(output)
    assert info.duration == pytest.approx(3 * 1.5 - 2 * 0.3, abs=0.1)
    assert (info.width, info.height) == (320, 192) and info.has_audio
    score = detail["generation"]["music"]  # composed on the fly from the mood: shown as the scene's music
    assert score["composed"] and score["path"].endswith(".wav")
    audio = (await studio.reviewer.get(f"{API}/gallery", params={"scene_id": scene["id"], "kind": "audio"})).json()
    assert [a["path"] for a in audio["items"]] == [score["path"]]
    loudness = await measure(output)  # dialogue and score, mixed, at delivery loudness
    assert loudness.integrated == pytest.approx(TARGET_LUFS, abs=1.0) and loudness.true_peak <= CEILING_DBTP
    assert run.result["lines"] == 2 and detail["dialogue_audio_path"] and detail["subtitles_path"]
    # The embedded engine's clips carry IDRs at their transitions: only the dissolves were encoded.
    assert run.result["assembly"] == "smart" and info.subtitle_codecs == ["mov_text"]
    assert round(info.duration * 24) == 3 * 36 - 2 * 7
    srt = runtime.paths.inside(detail["subtitles_path"]).read_text()
    assert "Line number 1." in srt and "Line number 2." in srt
    async with runtime.db.transaction() as session:  # the bed it was mixed with, for the timeline export
        bed = (await session.get(Scene, scene["id"])).generation["music"]  # type: ignore[union-attr]
    assert runtime.paths.inside(bed["path"]).is_file() and bed["volume"] == 0.3 and bed["start_offset"] == 0.0
    video = await studio.reviewer.get(f"{API}/scenes/{scene['id']}/video", headers={"Range": "bytes=0-9"})
    assert video.status_code == 206
    shot_video = await studio.reviewer.get(f"{API}/scenes/{scene['id']}/shots/{ids[1]}/video")
    assert shot_video.status_code == 200 and shot_video.headers["content-type"] == "video/mp4"


async def test_a_new_framing_in_a_chain_is_composed_afresh(runtime: Runtime, studio: Studio, worker: object) -> None:
    from anime_studio.scenes.models import Shot

    scene, ids = await _scene(studio, shots=2)  # establishing, then medium: the wide still is no medium shot
    await _generate(runtime, studio, scene["id"])
    async with runtime.db.sessionmaker() as session:
        first, second = [await session.get(Shot, i) for i in ids]
    assert first is not None and second is not None
    assert second.first_frame_path == second.keyframe_path != first.last_frame_path
    assert first.first_frame_path == first.keyframe_path


async def test_keyframes_mode_gives_each_shot_its_own_panel(runtime: Runtime, studio: Studio, worker: object) -> None:
    scene, _ = await _scene(studio, continuity="keyframes", shots=2)
    await _generate(runtime, studio, scene["id"])
    shots = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"]
    assert all(s["keyframe_path"] for s in shots)


async def test_progressive_gates_retry_with_new_seed_and_more_steps(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    scene, ids = await _scene(studio, shots=1)
    gates = {"shot_gate_1": 0.999, "shot_gate_2": 0.999, "shot_gate_3": 0.999, "scene_shot_minimum": 0.999}
    assert (await studio.editor.put(f"{API}/quality/gates", json=gates)).status_code == 200
    await _generate(runtime, studio, scene["id"])
    shot = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"][0]
    assert shot["attempts"] == 3 and shot["status"] == "low_quality" and shot["steps"] in (20, 25, 30)
    folder = runtime.paths.inside(shot["output_path"]).parent
    assert not list(folder.glob(f"shot_{ids[0]}_attempt*")), "only the best attempt is kept"


async def test_an_interrupted_generation_resumes_without_redoing_finished_shots(
    runtime: Runtime, studio: Studio
) -> None:
    from anime_studio.scenes.models import Shot

    scene, ids = await _scene(studio, shots=3)
    # No shutdown grace: stopping the worker interrupts the run mid-scene, like killing the studio.
    runtime = Runtime(
        settings=runtime.settings.model_copy(update={"worker_shutdown_grace": 0}),
        db=runtime.db,
        bus=runtime.bus,
        queue_app=runtime.queue_app,
        paths=runtime.paths,
    )
    runtime.start_worker(concurrency=1)
    response = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    async with get_bus().subscribe("scene.updated") as updates:
        while True:
            event = await asyncio.wait_for(updates.get(), 60)
            if event.data.get("shot_id") == ids[0] and event.data.get("shot_status") in ("completed", "low_quality"):
                break
    await runtime.stop_workers()  # like a restart of the studio mid-scene
    async with runtime.db.sessionmaker() as session:
        first = await session.get(Shot, ids[0])
        assert first is not None
        stamp = first.generated_at
    runtime.start_worker(concurrency=1)
    try:
        run = await wait_for(runtime, response.json()["id"], timeout=120)
    finally:
        await runtime.stop_workers()
    assert run.status.value == "succeeded" and run.attempts == 2
    async with runtime.db.sessionmaker() as session:
        again = await session.get(Shot, ids[0])
        assert again is not None and again.generated_at == stamp


async def test_regenerate_one_shot(runtime: Runtime, studio: Studio, worker: object) -> None:
    scene, ids = await _scene(studio, shots=2)
    await _generate(runtime, studio, scene["id"])
    before = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"]
    response = await studio.editor.post(f"{API}/scenes/{scene['id']}/shots/{ids[1]}/regenerate")
    run = await wait_for(runtime, response.json()["id"], timeout=120)
    assert run.status.value == "succeeded", run.error
    after = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"]
    assert after[0]["generated_at"] == before[0]["generated_at"]
    assert after[1]["generated_at"] != before[1]["generated_at"]


async def test_story_to_scenes_with_the_rules_engine(runtime: Runtime, studio: Studio) -> None:
    from anime_studio.demo import content

    project = await create_project(studio.editor, name="Story")
    for character in content.CHARACTERS:
        await create_character(studio.editor, project["id"], **character)
    await studio.editor.put(f"{API}/projects/{project['id']}/storyline", json={"script": content.STORYLINE["script"]})
    preview = await studio.editor.post(f"{API}/scenes/generate-from-story", params={"project_id": project["id"]})
    assert preview.status_code == 200, preview.text
    plans = preview.json()
    assert plans["count"] == 2 and plans["created"] is False
    assert plans["scenes"][0]["location"] and plans["scenes"][0]["time_of_day"] == "evening"
    speakers = [s["dialogue_character"] for s in plans["scenes"][0]["shots"] if s["dialogue_text"]]
    assert speakers == ["hana", "pip"]
    assert (await studio.reviewer.get(f"{API}/scenes", params={"project_id": project["id"]})).json() == []
    created = await studio.editor.post(
        f"{API}/scenes/generate-from-story", params={"project_id": project["id"], "create": True}
    )
    scenes = created.json()["scenes"]
    assert [len(s["shots"]) > 0 for s in scenes] == [True, True]
    lines = [s for s in scenes[0]["shots"] if s["dialogue_text"]]
    assert all(s["dialogue_character_id"] for s in lines)
    empty = await create_project(studio.editor, name="Empty")
    missing = await studio.editor.post(f"{API}/scenes/generate-from-story", params={"project_id": empty["id"]})
    assert missing.status_code == 422
