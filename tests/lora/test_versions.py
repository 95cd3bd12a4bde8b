"""Promotion, lineage and generation with the promoted LoRA (storyboard and ComfyUI image engines)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from anime_studio.assets.models import Asset
from anime_studio.lora.models import LoraEpoch, LoraTraining
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import SD15, ComfyFactory
from tests.factories import API, Studio
from tests.fakes.comfyui_training import write_lora
from tests.runs import wait_for

TRAIN = f"{API}/training"


async def _trained(runtime: Runtime, character_id: int, scores: list[float]) -> int:
    """A finished training with one LoRA file per epoch (as the run leaves it)."""
    folder = runtime.paths.root / "loras" / "test" / f"c{character_id}"
    folder.mkdir(parents=True, exist_ok=True)
    async with runtime.db.transaction() as session:
        training = LoraTraining(
            character_id=character_id,
            preset="sd15-character",
            engine="comfyui",
            settings={"trigger_word": "hana_xyz", "epochs": len(scores), "checkpoint": SD15},
            dataset_snapshot="0" * 64,
            dataset_path="exports/none",
            manifest={"count": 10},
        )
        session.add(training)
        await session.flush()
        for epoch, score in enumerate(scores, start=1):
            path = folder / f"t{training.id}_e{epoch:03d}_{epoch * 100}_steps_00001_.safetensors"
            write_lora(path, 4, epoch * 100)
            relative = runtime.paths.relative(path)
            session.add(
                LoraEpoch(training_id=training.id, epoch=epoch, path=relative, loss=0.2, steps=100, score=score)
            )
        return training.id


async def _generate(runtime: Runtime, studio: Studio, character_id: int, seed: int) -> Asset:
    response = await studio.editor.post(f"{API}/generate/{character_id}", json={"count": 1, "seed": seed})
    assert response.status_code == 202, response.text
    run = await wait_for(runtime, response.json()["id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    return await _asset(runtime, int(run.result["asset_ids"][0]))


async def _asset(runtime: Runtime, asset_id: int) -> Asset:
    async with runtime.db.sessionmaker() as session:
        asset = await session.get(Asset, asset_id)
        assert asset is not None
        return asset


async def test_promotion_feeds_generation_provenance_and_offers_rerendering(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], worker: object
) -> None:
    training = await _trained(runtime, hana["id"], [0.5, 0.9, 0.7])
    url = f"{TRAIN}/jobs/{training}/promote"
    first = await studio.editor.post(url, json={"epoch": 3})
    assert first.status_code == 200, first.text
    v1 = first.json()["version"]
    assert (v1["name"], v1["epoch"], v1["active"], first.json()["previous"]) == ("hana-v1", 3, True, None)

    before = await _generate(runtime, studio, hana["id"], seed=77)
    lora = before.provenance["loras"]
    assert [(entry["name"], entry["version_id"], entry["strength"]) for entry in lora] == [("hana-v1", v1["id"], 0.8)]
    assert before.provenance["prompt"].startswith("hana_xyz, ")

    second = await studio.editor.post(url, json={})  # the best epoch: 2
    assert second.status_code == 200, second.text
    assert second.json()["version"]["epoch"] == 2 and second.json()["previous"]["id"] == v1["id"]
    assert second.json()["rerender_asset_ids"] == [before.id]
    assert (await studio.editor.post(url, json={})).status_code == 409

    queued = await studio.editor.post(f"{TRAIN}/rerender", json={"asset_ids": [before.id]})
    assert queued.status_code == 202, queued.text
    run = await wait_for(runtime, queued.json()["run_ids"][0], timeout=60)
    assert run.status.value == "succeeded", run.error
    after = await _asset(runtime, int(run.result["asset_ids"][0]))
    assert after.provenance["seed"] == 77 and after.provenance["loras"][0]["name"] == "hana-v2"

    versions = (await studio.editor.get(f"{TRAIN}/versions", params={"character_id": hana["id"]})).json()
    assert [(v["name"], v["active"]) for v in versions] == [("hana-v2", True), ("hana-v1", False)]
    bad = await studio.editor.post(url, json={"epoch": 9})
    assert bad.status_code == 422 and "no finished epoch 9" in bad.json()["detail"]


async def test_comfyui_generation_loads_the_promoted_lora_with_the_style_strength(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    training = await _trained(runtime, hana["id"], [0.9])
    assert (await studio.editor.post(f"{TRAIN}/jobs/{training}/promote", json={})).status_code == 200
    async with runtime.db.sessionmaker() as session:
        epoch = await session.scalar(select(LoraEpoch))
        assert epoch is not None
    file = Path(epoch.path).name
    comfy = comfy_factory(duration=0.05)
    comfy.fake.install("loras", f"anime_studio/{file}")
    settings = runtime.settings.model_copy(
        update={
            "comfyui_urls": [comfy.url],
            "image_engine": "comfyui",
            "comfyui_scheduler": "local",
            "comfyui_default_checkpoint": SD15,
        }
    )
    rt = Runtime(settings=settings, db=runtime.db, bus=runtime.bus, queue_app=runtime.queue_app, paths=runtime.paths)
    rt.start_worker(concurrency=2)
    try:
        asset = await _generate(rt, studio, hana["id"], seed=5)
    finally:
        await rt.stop_workers()
    async with httpx.AsyncClient() as http:
        history = (await http.get(f"{comfy.url}/history")).json()
    prompt = next(iter(history.values()))["prompt"][2]
    loaders = [n["inputs"] for n in prompt.values() if n["class_type"] == "LoraLoader"]
    assert [(i["lora_name"], i["strength_model"], i["strength_clip"]) for i in loaders] == [
        (f"anime_studio/{file}", 0.8, 0.8)
    ]
    assert asset.provenance["loras"][0]["file"] == file


async def test_scene_keyframes_load_the_cast_s_promoted_lora(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], worker: object
) -> None:
    training = await _trained(runtime, hana["id"], [0.9, 0.5])
    promoted = await studio.editor.post(f"{TRAIN}/jobs/{training}/promote", json={})
    assert promoted.status_code == 200, promoted.text
    project_id = hana["project_id"]
    await studio.editor.put(f"{API}/projects/{project_id}/style", json={"width": 320, "height": 192, "fps": 12})
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project_id, "title": "Rain"})).json()
    shot = {"shot_type": "medium", "duration": 1.0, "characters": [hana["id"]]}
    assert (await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json=shot)).status_code == 201
    response = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    assert response.status_code == 202, response.text
    run = await wait_for(runtime, response.json()["id"], timeout=120)
    assert run.status.value == "succeeded", run.error
    async with runtime.db.sessionmaker() as session:
        clip = await session.scalar(select(Asset).where(Asset.scene_id == scene["id"], Asset.kind == "clip"))
        assert clip is not None
    assert [(e["name"], e["strength"]) for e in clip.provenance["loras"]] == [("hana-v1", 0.8)]
    versions = (await studio.reviewer.get(f"{API}/review/shot/{clip.shot_id}")).json()["versions"]
    assert versions[0]["lora_version"] == "hana-v1"

    # Promoting another epoch offers the shot; re-rendering it makes a new keyframe with the new version.
    second = await studio.editor.post(f"{TRAIN}/jobs/{training}/promote", json={"epoch": 2})
    assert second.status_code == 200 and second.json()["rerender_shot_ids"] == [clip.shot_id], second.text
    assert (await studio.editor.post(f"{TRAIN}/rerender", json={})).status_code == 422
    queued = await studio.editor.post(f"{TRAIN}/rerender", json={"shot_ids": [clip.shot_id]})
    assert queued.status_code == 202, queued.text
    rerun = await wait_for(runtime, queued.json()["run_ids"][0], timeout=120)
    assert rerun.status.value == "succeeded", rerun.error
    async with runtime.db.sessionmaker() as session:
        clips = (await session.scalars(select(Asset).where(Asset.shot_id == clip.shot_id).order_by(Asset.id))).all()
    assert [e["name"] for e in clips[-1].provenance["loras"]] == ["hana-v2"]
    keyframes = sorted(runtime.paths.scene_dir("train-show", scene["id"]).glob(f"shot_{clip.shot_id}_keyframe_*.png"))
    assert len(keyframes) == 2
