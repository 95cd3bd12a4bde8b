"""The render pool: fail-over when a backend dies, affinity, at most one running + one queued per backend."""

from __future__ import annotations

import asyncio
import io
import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from anime_studio.engines.base import MissingRequirement, TransientEngineError
from anime_studio.engines.comfyui.pool import Backend, ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer, RenderJob, hashed_name
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow
from anime_studio.engines.comfyui.workflows.video import VideoGraph, framepack_workflow
from tests.engines.comfyui.conftest import SD15, SDXL, ComfyFactory, make_image, make_pool


def job(seed: int, checkpoint: str = SD15, **changes: Any) -> RenderJob:
    spec = ImageGraph(
        checkpoint=checkpoint, prompt="a cat", negative="", seed=seed, width=64, height=48, steps=4, **changes
    )
    return RenderJob(workflow=build_image_workflow(spec), checkpoint=checkpoint, label=f"job {seed}")


async def test_twelve_jobs_finish_when_one_of_three_backends_dies(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    backends = [comfy_factory(duration=0.3) for _ in range(3)]
    pool = make_pool(pools, [b.url for b in backends])
    renderer = PoolRenderer(pool)
    peak: dict[str, int] = {}

    async def watch() -> None:
        while True:
            for b in pool.backends:
                peak[b.url] = max(peak.get(b.url, 0), len(b.slots))
                assert b.running <= 1 and b.queued <= 1
            await asyncio.sleep(0.01)

    async def kill_second() -> None:
        await asyncio.sleep(0.45)  # a job is running on it, another is queued
        await asyncio.to_thread(backends[1].server.stop)

    watcher = asyncio.create_task(watch())
    started = time.monotonic()
    outputs, _ = await asyncio.gather(
        asyncio.gather(*(renderer.render(job(seed)) for seed in range(12))), kill_second()
    )
    elapsed = time.monotonic() - started
    watcher.cancel()
    assert len(outputs) == 12 and all(Image.open(io.BytesIO(o.first("image").data)).size == (64, 48) for o in outputs)
    served = {url: sum(o.backend == url for o in outputs) for url in (b.url for b in backends)}
    assert served[backends[1].url] <= 2 and served[backends[0].url] + served[backends[2].url] >= 10
    assert pool.backends[1].reachable is False and "unreachable" in pool.backends[1].last_error
    assert all(b.fake.max_pending <= 1 for b in backends) and max(peak.values()) == 2
    assert len({o.prompt_id for o in outputs}) == 12 and elapsed < 12


async def test_affinity_prefers_the_backend_with_the_checkpoint_loaded(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    first, second = comfy_factory(duration=0.2), comfy_factory(duration=0.2)
    pool = make_pool(pools, [first.url, second.url])
    renderer = PoolRenderer(pool)
    a, b = await asyncio.gather(renderer.render(job(1, SD15)), renderer.render(job(2, SDXL)))
    assert (a.backend, b.backend) == (first.url, second.url)
    again_b = await renderer.render(job(3, SDXL))  # both idle: the one with SDXL loaded wins over list order
    again_a = await renderer.render(job(4, SD15))
    assert (again_b.backend, again_a.backend) == (second.url, first.url)
    assert [s.last_checkpoint for s in pool.status()] == [SD15, SDXL]


def fake_backend(pool: ComfyPool, index: int) -> Backend:
    return pool.backends[index]


async def test_choose_order_and_limits(pools: list[ComfyPool]) -> None:
    pool = make_pool(pools, ["http://a:1", "http://b:1", "http://c:1"])
    a, b, c = pool.backends
    b.last_checkpoint = SDXL
    first = pool.choose(SDXL)
    assert first is not None and first.backend is b  # idle + same checkpoint
    second = pool.choose(SDXL)
    assert second is not None and second.backend is a  # idle beats "same checkpoint but busy"
    c.server_pending = 3  # somebody else is using c
    third = pool.choose(SDXL)
    assert third is not None and third.backend is c  # everyone is busy; c is the only one with room
    assert pool.choose(SDXL) is None  # a, b, c each hold a queued slot: no more than one queued each
    first.started()
    fourth = pool.choose(SD15)
    assert fourth is not None and fourth.backend is b and (b.running, b.queued) == (1, 1)
    assert pool.choose(SD15) is None
    first.release()
    assert b.last_checkpoint == SDXL and b.expected_checkpoint == SD15


async def test_mark_down_backs_off_then_retries(pools: list[ComfyPool]) -> None:
    pool = make_pool(pools, ["http://a:1", "http://b:1"], backoff=(0.2, 1.0))
    a, b = pool.backends
    pool.mark_down(a, "connection refused")
    assert pool.up() == [b] and pool.status()[0].retry_in > 0
    slot = pool.choose()
    assert slot is not None and slot.backend is b
    await asyncio.sleep(0.25)
    assert pool.up() == [a, b]
    pool.mark_down(a, "again")
    assert 0.2 < a.down_until - time.monotonic() <= 0.4  # doubled from 0.2 s


async def test_no_backend_up_is_transient(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    dead = comfy_factory()
    dead.server.stop()
    pool = make_pool(pools, [dead.url])
    started = time.monotonic()
    with pytest.raises(TransientEngineError, match="no ComfyUI backend is reachable"):
        await PoolRenderer(pool).render(job(1))
    assert time.monotonic() - started < 5
    with pytest.raises(TransientEngineError, match="none configured"):
        await PoolRenderer(make_pool(pools, [])).render(job(1))


async def test_jobs_go_where_the_nodes_are(comfy_factory: ComfyFactory, pools: list[ComfyPool], tmp_path: Path) -> None:
    plain = comfy_factory(without=("FramePackSampler", "LoadFramePackModel", "FramePackFindNearestBucket"))
    framepack = comfy_factory()
    pool = make_pool(pools, [plain.url, framepack.url])
    source = make_image(tmp_path / "start.png", (64, 48))
    name = hashed_name(source)
    spec = VideoGraph(
        image=name, prompt="wave", negative="", seed=1, width=64, height=48, duration=0.3, fps=8, output="core"
    )
    output = await PoolRenderer(pool).render(RenderJob(workflow=framepack_workflow(spec), uploads={name: source}))
    assert output.backend == framepack.url and output.first("video").filename.endswith(".mp4")
    only_plain = make_pool(pools, [plain.url])
    with pytest.raises(MissingRequirement, match="ComfyUI-FramePackWrapper"):
        await PoolRenderer(only_plain).render(RenderJob(workflow=framepack_workflow(spec), uploads={name: source}))


async def test_same_input_is_uploaded_once_per_backend(comfy: Any, pools: list[ComfyPool], tmp_path: Path) -> None:
    pool = make_pool(pools, [comfy.url])
    renderer = PoolRenderer(pool)
    source = make_image(tmp_path / "init.png", (64, 48))
    name = hashed_name(source)
    assert name == hashed_name(make_image(tmp_path / "copy.png", (64, 48))) and name.startswith("as-")
    for seed in (1, 2):
        await renderer.render(RenderJob(workflow=job(seed, init_image=name).workflow, uploads={name: source}))
    assert comfy.fake.uploads == 1


async def test_status_reports_devices_and_queues(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    gpu = comfy_factory(
        device={
            "name": "cuda:0 NVIDIA GeForce RTX 3060 : cudaMallocAsync",
            "type": "cuda",
            "vram_total": 12 * 2**30,
            "vram_free": 9 * 2**30,
        }
    )
    dead = comfy_factory()
    dead.server.stop()
    pool = make_pool(pools, [gpu.url, dead.url])
    statuses = await pool.refresh()
    assert statuses[0].reachable is True and statuses[0].device.startswith("cuda:0 NVIDIA")
    assert (statuses[0].vram_total, statuses[0].vram_free) == (12 * 2**30, 9 * 2**30)
    assert statuses[1].reachable is False and "unreachable" in statuses[1].last_error
    assert statuses[0].model_dump().keys() >= {
        "url",
        "reachable",
        "running",
        "queued",
        "vram_total",
        "vram_free",
        "device",
        "last_checkpoint",
    }


async def test_cancelled_render_removes_its_prompt(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    comfy = comfy_factory(duration=3.0)
    pool = make_pool(pools, [comfy.url])
    task = asyncio.create_task(PoolRenderer(pool).render(job(1)))
    while not comfy.fake.started:
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    client = pool.backends[0].client
    for _ in range(100):
        history = await client._json("GET", "/history")
        if history:
            break
        await asyncio.sleep(0.05)
    entry = next(iter(history.values()))
    assert entry["status"]["messages"][-1][0] == "execution_interrupted" and pool.backends[0].slots == []
