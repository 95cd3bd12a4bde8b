"""Training runs end to end: bad settings refused first, a run through the fake ComfyUI, cancel and resume."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from sqlalchemy import func, select

from anime_studio.jobs.models import Run, RunStatus
from anime_studio.lora.models import LoraEpoch
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import SD15
from tests.factories import API, Studio
from tests.lora.conftest import approved_images
from tests.runs import wait_for

TRAIN = f"{API}/training"
FAST = {"epochs": 3, "resolution": 256, "rank": 4}


async def _runs(runtime: Runtime) -> int:
    async with runtime.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Run)) or 0)


async def test_bad_settings_get_a_clear_4xx_before_any_job(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], training_on: Any
) -> None:
    training_on(duration=0.05)
    body = {"character_id": hana["id"], "checkpoint": SD15, "advanced": FAST}
    none = await studio.editor.post(f"{TRAIN}/jobs", json=body)
    assert none.status_code == 422 and "0 approved image(s)" in none.json()["detail"]
    await approved_images(runtime, hana["id"], 10)
    rank0 = await studio.editor.post(f"{TRAIN}/jobs", json={**body, "advanced": {**FAST, "rank": 0}})
    assert rank0.status_code == 422 and "rank" in str(rank0.json()["detail"])
    unknown = await studio.editor.post(f"{TRAIN}/jobs", json={**body, "checkpoint": "nope.safetensors"})
    assert unknown.status_code == 422
    assert "unknown checkpoint 'nope.safetensors'" in unknown.json()["detail"] and SD15 in unknown.json()["detail"]
    missing = await studio.editor.post(f"{TRAIN}/jobs", json={**body, "character_id": 999999})
    assert missing.status_code == 404
    assert await _runs(runtime) == 0
    assert (await studio.reviewer.post(f"{TRAIN}/jobs", json=body)).status_code == 403


async def test_a_training_run_stores_progress_loss_epochs_samples_and_the_best_epoch(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], training_on: Any, worker: object
) -> None:
    comfy = training_on(duration=0.3)
    await approved_images(runtime, hana["id"], 10)
    body = {"character_id": hana["id"], "checkpoint": SD15, "trigger_word": "hana_xyz", "advanced": FAST}
    async with runtime.bus.subscribe("lora.*") as events:
        started = await studio.editor.post(f"{TRAIN}/jobs", json=body)
        assert started.status_code == 202, started.text
        training = started.json()
        assert training["dataset_count"] == 10 and training["total_epochs"] == 3
        run = await wait_for(runtime, training["run_id"], timeout=60)
        assert run.status == RunStatus.succeeded, run.error
        seen = []
        while not events.queue.empty():
            seen.append(await events.get())
    progress = [e.data["step"] for e in seen if e.name == "lora.progress"]
    assert progress == sorted(progress) and progress[-1] == 300 and len(progress) >= 3  # 10 images x 10 repeats
    stages = [(e.data["epoch"], e.data["stage"]) for e in seen if e.name == "lora.epoch"]
    assert [s for s in stages if s[1] == "saved"] == [(1, "saved"), (2, "saved"), (3, "saved")]
    assert {s[0] for s in stages if s[1] == "scored"} == {1, 2, 3}

    status = (await studio.editor.get(f"{TRAIN}/jobs/{training['id']}")).json()
    assert (status["status"], status["step"], status["total_steps"], status["epoch"]) == ("succeeded", 300, 300, 3)
    assert status["eta_seconds"] == 0.0 and status["best_epoch"] in (1, 2, 3)
    loss = (await studio.editor.get(f"{TRAIN}/jobs/{training['id']}/loss")).json()["points"]
    assert [p[0] for p in loss] == list(range(1, 301))
    assert sum(p[1] for p in loss[:50]) > sum(p[1] for p in loss[-50:])  # it learns
    epochs = (await studio.editor.get(f"{TRAIN}/jobs/{training['id']}/epochs")).json()
    assert [e["epoch"] for e in epochs] == [1, 2, 3] and [e["best"] for e in epochs].count(True) == 1
    assert epochs[0]["loss"] > epochs[2]["loss"]
    assert all(len(e["samples"]) == 3 and e["score"] is not None for e in epochs)
    assert epochs[0]["samples"][0]["prompt"].startswith("hana_xyz, ")
    picture = await studio.editor.get(epochs[1]["samples"][2]["url"])
    assert picture.status_code == 200 and picture.content[:4] == b"\x89PNG"
    async with runtime.db.sessionmaker() as session:
        rows = (await session.scalars(select(LoraEpoch).order_by(LoraEpoch.epoch))).all()
    assert all(runtime.paths.inside(r.path).is_file() for r in rows)
    assert len(list((comfy.fake.output_dir / "loras").rglob("*.safetensors"))) == 3
    history = (await studio.editor.get(f"{TRAIN}/jobs", params={"character_id": hana["id"]})).json()
    assert [h["id"] for h in history] == [training["id"]]


async def test_cancel_mid_epoch_keeps_the_finished_epoch_and_resume_continues_after_it(
    runtime: Runtime, studio: Studio, hana: dict[str, Any], training_on: Any, worker: object
) -> None:
    comfy = training_on(duration=4.0)
    await approved_images(runtime, hana["id"], 10)
    body = {"character_id": hana["id"], "checkpoint": SD15, "advanced": FAST}
    training = (await studio.editor.post(f"{TRAIN}/jobs", json=body)).json()
    url = f"{TRAIN}/jobs/{training['id']}"
    deadline = asyncio.get_running_loop().time() + 30
    while (status := (await studio.editor.get(url)).json())["step"] <= 120:  # into epoch 2
        assert asyncio.get_running_loop().time() < deadline, status
        await asyncio.sleep(0.05)
    assert (await studio.editor.post(f"{url}/cancel")).status_code == 200
    run = await wait_for(runtime, training["run_id"], timeout=20)
    assert run.status == RunStatus.cancelled
    epochs = (await studio.editor.get(f"{url}/epochs")).json()
    assert [e["epoch"] for e in epochs] == [1]
    async with runtime.db.sessionmaker() as session:
        first = await session.scalar(select(LoraEpoch))
    assert first is not None and runtime.paths.inside(first.path).is_file()
    await asyncio.sleep(0.3)
    async with httpx.AsyncClient() as http:
        queue = (await http.get(f"{comfy.url}/queue")).json()
    assert queue == {"queue_running": [], "queue_pending": []}  # the epoch in flight was stopped
    promoted = await studio.editor.post(f"{url}/promote", json={})
    assert promoted.status_code == 200 and promoted.json()["version"]["epoch"] == 1  # usable as it is

    comfy.fake.duration = 0.3
    assert (await studio.editor.post(f"{url}/resume")).status_code == 200
    run = await wait_for(runtime, training["run_id"], timeout=60)
    assert run.status == RunStatus.succeeded, run.error
    epochs = (await studio.editor.get(f"{url}/epochs")).json()
    assert [e["epoch"] for e in epochs] == [1, 2, 3]
    loss = (await studio.editor.get(f"{url}/loss")).json()["points"]
    assert [p[0] for p in loss] == list(range(1, 301))  # no step twice, none missing
