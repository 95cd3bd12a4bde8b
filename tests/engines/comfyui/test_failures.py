"""Each failure class of a render reaches the caller and the backend's status in its own words.

Out of memory retries on a backend with more VRAM or at a lower resolution (and says so); a hung
prompt times out and runs elsewhere; rejected workflows, missing models and interrupted prompts are
not retried at all.
"""

from __future__ import annotations

import asyncio
import io

import httpx
import pytest
from PIL import Image

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer, RenderJob
from anime_studio.engines.comfyui.retry import lighter_workflow
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow
from tests.engines.comfyui.conftest import SD15, ComfyFactory, make_pool

GIB = 2**30
CUDA_WORDS = "CUDA out of memory. Tried to allocate 2.00 GiB"


def job(width: int = 64, height: int = 48, checkpoint: str = SD15) -> RenderJob:
    spec = ImageGraph(checkpoint=checkpoint, prompt="a cat", negative="", seed=1, width=width, height=height, steps=4)
    return RenderJob(workflow=build_image_workflow(spec), checkpoint=checkpoint, label="job")


def size_of(data: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(data)).size


async def test_out_of_memory_retries_at_a_lower_resolution_and_says_so(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    comfy = comfy_factory()
    comfy.fake.oom_above(64 * 48 - 1)
    pool = make_pool(pools, [comfy.url])
    output = await PoolRenderer(pool).render(job(64, 48))
    assert size_of(output.first("image").data) == (48, 32) and len(comfy.fake.started) == 2
    assert output.notes == (f"out of memory on {comfy.url}; retried at 48x32 instead of 64x48",)
    assert output.workflow is not None and output.workflow["4"]["inputs"]["width"] == 48


async def test_out_of_memory_moves_to_a_backend_with_more_vram(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    small = comfy_factory(device={"vram_total": 8 * GIB, "vram_free": 6 * GIB})
    large = comfy_factory(device={"vram_total": 24 * GIB, "vram_free": 20 * GIB})
    small.fake.oom_above(0)
    pool = make_pool(pools, [small.url, large.url])
    output = await PoolRenderer(pool).render(job())
    assert output.backend == large.url and size_of(output.first("image").data) == (64, 48)
    assert output.notes == (f"out of memory on {small.url}; retried on a backend with more VRAM",)
    status = pool.status()[0]
    assert status.reachable is True and status.last_failure == "out_of_memory"
    assert CUDA_WORDS in status.last_error and "no ComfyUI backend is reachable" not in status.last_error


async def test_out_of_memory_every_time_is_final_and_not_called_unreachable(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    comfy = comfy_factory()
    comfy.fake.oom_above(0)
    pool = make_pool(pools, [comfy.url])
    with pytest.raises(EngineError) as caught:
        await PoolRenderer(pool).render(job(64, 48))
    message = str(caught.value)
    assert not isinstance(caught.value, TransientEngineError)  # the run must not retry it as is
    assert message.startswith(f"out of memory: ComfyUI at {comfy.url} ran out of GPU memory at node 5 (KSampler): ")
    assert CUDA_WORDS in message and "retried at 48x32 instead of 64x48" in message and "unreachable" not in message
    assert len(comfy.fake.started) == 3  # 64x48, 48x32, 32x24
    status = (await pool.refresh())[0]
    assert status.reachable is True and status.last_failure == "out_of_memory" and CUDA_WORDS in status.last_error


async def test_a_hung_prompt_times_out_and_runs_elsewhere(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    hung, healthy = comfy_factory(), comfy_factory()
    hung.fake.stall_next()
    pool = make_pool(pools, [hung.url, healthy.url], timeout=1.0)
    output = await PoolRenderer(pool).render(job())
    assert output.backend == healthy.url
    status = pool.status()[0]
    assert status.reachable is False and status.last_failure == "timed_out" and status.retry_in > 0
    assert status.last_error.startswith(f"ComfyUI at {hung.url} timed out: prompt ") and "did not finish in 1 s" in (
        status.last_error
    )
    probed = (await pool.refresh())[0]  # its HTTP answers, but its GPU hung: still shown, still parked
    assert probed.reachable is True and probed.last_failure == "timed_out" and probed.retry_in > 0
    assert probed.last_error == status.last_error


async def test_a_hung_prompt_on_the_only_backend_is_a_transient_time_out(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    hung = comfy_factory()
    hung.fake.stall_next()
    pool = make_pool(pools, [hung.url], timeout=1.0)
    with pytest.raises(TransientEngineError) as caught:
        await PoolRenderer(pool).render(job())
    assert str(caught.value).startswith(f"timed out: ComfyUI at {hung.url} timed out: prompt ")


async def test_an_interrupted_prompt_is_not_retried(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    comfy = comfy_factory(duration=3.0)
    pool = make_pool(pools, [comfy.url])
    task = asyncio.create_task(PoolRenderer(pool).render(job()))
    while not comfy.fake.started:
        await asyncio.sleep(0.02)
    async with httpx.AsyncClient() as someone:  # ComfyUI's own Cancel button
        await someone.post(f"{comfy.url}/interrupt", json={})
    with pytest.raises(EngineError) as caught:
        await task
    assert not isinstance(caught.value, TransientEngineError) and len(comfy.fake.started) == 1
    assert str(caught.value).startswith(f"interrupted: ComfyUI at {comfy.url} interrupted prompt ")
    assert "(stopped on the server)" in str(caught.value)
    status = pool.status()[0]
    assert status.last_failure == "interrupted" and "interrupted prompt" in status.last_error


async def test_a_model_deleted_since_the_last_listing_is_a_missing_model(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    comfy = comfy_factory()
    pool = make_pool(pools, [comfy.url])
    await pool.schemas()  # the cached listing still has the file
    comfy.fake.uninstall("checkpoints", SD15)
    with pytest.raises(EngineError) as caught:
        await PoolRenderer(pool).render(job())
    assert str(caught.value).startswith(
        f"missing model: ComfyUI at {comfy.url} lacks the model file(s) '{SD15}' (models/checkpoints"
    )
    assert comfy.fake.started == [] and not isinstance(caught.value, TransientEngineError)
    status = pool.status()[0]
    assert status.last_failure == "missing_model" and SD15 in status.last_error


async def test_a_rejected_workflow_is_not_retried(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    comfy = comfy_factory(strict_steps=True)  # rejects a width off EmptyLatentImage's step of 8
    pool = make_pool(pools, [comfy.url])
    off_grid = job()
    off_grid.workflow["4"]["inputs"]["width"] = 60  # ComfyUI itself would round it; the strict fake refuses
    with pytest.raises(EngineError) as caught:
        await PoolRenderer(pool).render(off_grid)
    assert str(caught.value).startswith(f"workflow rejected: ComfyUI at {comfy.url} rejected the workflow: node 4")
    assert pool.status()[0].last_failure == "rejected" and comfy.fake.started == []


async def test_an_unreachable_backend_says_so(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    dead = comfy_factory()
    dead.server.stop()
    pool = make_pool(pools, [dead.url])
    with pytest.raises(TransientEngineError, match="no ComfyUI backend is reachable"):
        await PoolRenderer(pool).render(job())
    status = pool.status()[0]
    assert status.last_failure == "unreachable" and status.last_error.startswith(
        f"ComfyUI at {dead.url} is unreachable"
    )


def test_lighter_workflow_shrinks_latents_and_tiles() -> None:
    workflow = {
        "1": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024, "height": 768, "batch_size": 1}},
        "2": {"class_type": "VAEDecodeTiled", "inputs": {"tile_size": 512, "samples": ["1", 0]}},
    }
    lighter = lighter_workflow(workflow)
    assert lighter is not None and lighter.note == "768x576 instead of 1024x768, VAE tiles of 256 instead of 512"
    assert workflow["1"]["inputs"]["width"] == 1024  # the original is left alone
    assert lighter_workflow({"1": {"class_type": "LoadImage", "inputs": {"image": "a.png"}}}) is None
