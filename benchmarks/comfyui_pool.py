"""Render-pool throughput against fake ComfyUI backends with a fixed time per prompt.

Prints ``name: ratio`` lines:
- ``comfyui_pool_speedup_3_backends``: wall time of N jobs on 1 backend / on 3 backends (ideal 3.0);
- ``comfyui_pool_busy_fraction_1_backend``: N·T / wall time on one backend (1.0 = the GPU never waits);
- ``comfyui_pool_failover_overhead``: wall time with one of 3 backends killed mid-run / without.

Usage: ``python benchmarks/comfyui_pool.py [jobs] [seconds_per_prompt]`` (defaults 24 and 0.5).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.engines.comfyui.conftest import MODELS, SD15
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.live import LiveServer

from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer, RenderJob
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow


def job(seed: int) -> RenderJob:
    spec = ImageGraph(checkpoint=SD15, prompt="bench", negative="", seed=seed, width=64, height=64, steps=4)
    return RenderJob(workflow=build_image_workflow(spec), checkpoint=SD15)


async def run(backends: int, jobs: int, seconds: float, *, kill_one: bool = False) -> float:
    root = Path(tempfile.mkdtemp(prefix="bench-comfy-"))
    servers = [
        LiveServer(FakeComfyUI(root / str(i), models=MODELS, duration=seconds).app).start() for i in range(backends)
    ]
    pool = ComfyPool([s.url for s in servers], poll_interval=0.5, unreachable_grace=0.5)
    renderer = PoolRenderer(pool)
    await pool.schemas()  # warm the object_info caches, as a running studio would have them

    async def killer() -> None:
        if kill_one:
            await asyncio.sleep(seconds * jobs / backends / 3)
            await asyncio.to_thread(servers[-1].stop)

    started = time.monotonic()
    await asyncio.gather(asyncio.gather(*(renderer.render(job(i)) for i in range(jobs))), killer())
    elapsed = time.monotonic() - started
    await pool.aclose()
    for server in servers:
        server.stop()
    return elapsed


async def main(jobs: int, seconds: float) -> None:
    one = await run(1, jobs, seconds)
    three = await run(3, jobs, seconds)
    failover = await run(3, jobs, seconds, kill_one=True)
    print(f"comfyui_pool_speedup_3_backends: {one / three:.2f}")
    print(f"comfyui_pool_busy_fraction_1_backend: {jobs * seconds / one:.2f}")
    print(f"comfyui_pool_failover_overhead: {failover / three:.2f}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    asyncio.run(main(int(arguments[0]) if arguments else 24, float(arguments[1]) if len(arguments) > 1 else 0.5))
