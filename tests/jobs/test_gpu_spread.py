"""The images of one generation run are spread over every ComfyUI backend at once, results in order."""

from __future__ import annotations

from pathlib import Path

from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import ComfyFactory
from tests.factories import API, Studio, create_character, create_project
from tests.jobs.test_gpu_queues import _gpu_runtime
from tests.runs import wait_for

SECONDS = 0.6


async def test_six_images_of_one_run_use_both_backends(
    runtime: Runtime, studio: Studio, comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    backends = [comfy_factory(duration=SECONDS), comfy_factory(duration=SECONDS)]
    project = await create_project(studio.editor, name="Spread")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json={"width": 64, "height": 48})
    hana = await create_character(studio.editor, project["id"], name="Hana")
    rt = _gpu_runtime(runtime, [b.url for b in backends])
    rt.start_worker(concurrency=4)
    try:
        response = await studio.editor.post(f"{API}/generate/{hana['id']}", json={"count": 6, "seed": 100})
        run = await wait_for(rt, response.json()["id"], timeout=60)
    finally:
        await rt.stop_workers()
    assert run.status.value == "succeeded", run.error
    seeds, served = [], []
    for asset_id in run.result["asset_ids"]:
        provenance = (await studio.reviewer.get(f"{API}/assets/{asset_id}")).json()["provenance"]
        seeds.append(provenance["seed"])
        served.append(provenance["parameters"]["backend"])
    assert seeds == list(range(100, 106))  # results in the order asked
    assert {url: served.count(url) for url in set(served)} == {b.url: 3 for b in backends}
    for backend in backends:
        assert backend.fake.max_running <= 1 and backend.fake.max_pending <= 1  # one running + one queued
    spans = [span for b in backends for span in b.fake.busy]
    wall = max(end for _, end in spans) - min(start for start, _ in spans)
    parallelism = sum(end - start for start, end in spans) / wall
    assert parallelism > 1.6, parallelism  # both GPUs busy at once, most of the time
