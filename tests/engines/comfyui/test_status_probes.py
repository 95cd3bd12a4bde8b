"""Status probes: concurrent, short, cached with their age; a hung backend cannot stall the answer."""

from __future__ import annotations

import time

from anime_studio.engines.comfyui.pool import PROBE_WAIT, ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.image.comfyui import ComfyImageEngine
from tests.engines.comfyui.conftest import SD15, SDXL, ComfyFactory


async def test_a_hung_backend_does_not_hold_up_the_status(comfy_factory: ComfyFactory, pools: list[ComfyPool]) -> None:
    hung, healthy = comfy_factory(), comfy_factory()
    pool = ComfyPool([hung.url, healthy.url], poll_interval=0.2)
    pools.append(pool)
    first = await pool.refresh()
    assert [s.reachable for s in first] == [True, True] and all(s.checked_age is not None for s in first)
    hung.fake.freeze()
    try:
        started = time.monotonic()
        statuses = await pool.refresh()
        elapsed = time.monotonic() - started
        again = await pool.refresh()  # shares the probe still waiting on the hung server
        assert hung.fake.thawed.is_set() is False
    finally:
        hung.fake.thaw()
    assert elapsed < PROBE_WAIT + 0.5
    assert statuses[0].reachable is False and statuses[0].last_failure == "timed_out"
    assert statuses[0].last_error == (
        f"ComfyUI at {hung.url} timed out: no answer to the status probe within {PROBE_WAIT:g} s"
    )
    assert statuses[0].checked_age is not None and statuses[0].checked_age >= PROBE_WAIT  # the last real answer
    assert statuses[1].reachable is True and statuses[1].last_error == "" and statuses[1].checked_age is not None
    assert again[0].checked_age is not None and again[0].checked_age >= statuses[0].checked_age
    for _ in range(20):  # the probe that waited on the hung server answers once it is back
        recovered = await pool.refresh()
        if recovered[0].reachable:
            break
    assert recovered[0].reachable is True and recovered[0].last_error == "" and recovered[0].last_failure is None


async def test_the_image_engine_is_reachable_while_one_backend_hangs(
    comfy_factory: ComfyFactory, pools: list[ComfyPool]
) -> None:
    hung, healthy = comfy_factory(), comfy_factory()
    pool = ComfyPool([hung.url, healthy.url], poll_interval=0.2)
    pools.append(pool)
    engine = ComfyImageEngine(pool=pool, renderer=PoolRenderer(pool), default_checkpoint=SD15)
    hung.fake.freeze()
    try:
        started = time.monotonic()
        status = await engine.status()
        elapsed = time.monotonic() - started
    finally:
        hung.fake.thaw()
    assert status.reachable is True and status.detail == "1/2 ComfyUI backends reachable"
    assert status.models == [SDXL, SD15] and elapsed < 2.0
