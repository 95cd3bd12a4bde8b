"""The replenishment loop's own cost per image, beyond the time its engines take.

Every engine call (one image generation, one vision review) is made to take exactly ``T`` seconds
(default 1 s), calls run one at a time, and the loop fills one human character to ``N`` images
(default 12: four batches of 3) on a real embedded PostgreSQL with a real worker. Engine time is
then exactly ``2·T·N``; everything above it is the loop: check/generate/review runs, the guards'
queries under the advisory lock, copying into the dataset, registering, triage, events.

Prints:
- ``replenishment_overhead_per_image_s``: (wall − engine time) / images;
- ``replenishment_overhead_ratio``: (wall − engine time) / engine time (target < 0.05).

Usage: ``.venv/bin/python benchmarks/replenishment_overhead.py [images] [seconds_per_engine_call]``.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.autonomy.helpers import APPROVE_ALL, LOOP, SMALL_STYLE, settled
from tests.factories import API, Studio, create_character, create_project

from anime_studio.app import create_app
from anime_studio.config import Settings
from anime_studio.db import migrate, server
from anime_studio.engines.image.base import ImageEngine, ImageRequest, ImageResult
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores, VisionEngine
from anime_studio.runtime import Runtime


class Paced:
    """Pads every call of the wrapped engine to exactly ``seconds``, one call at a time."""

    def __init__(self, inner: Any, seconds: float) -> None:
        self.inner, self.seconds, self.calls, self.busy = inner, seconds, 0, 0.0
        self.lock = asyncio.Lock()

    async def _paced(self, call: Any) -> Any:
        async with self.lock:
            started = time.monotonic()
            result = await call
            await asyncio.sleep(max(0.0, self.seconds - (time.monotonic() - started)))
            self.calls += 1
            self.busy += time.monotonic() - started  # a call slower than ``seconds`` counts as it was
            return result

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class PacedImages(Paced):
    inner: ImageEngine

    async def generate(self, request: ImageRequest) -> ImageResult:
        return await self._paced(self.inner.generate(request))  # type: ignore[no-any-return]

    def parallel_prompts(self) -> int:
        return 1


class PacedVision(Paced):
    inner: VisionEngine

    async def review(self, request: ReviewRequest) -> ReviewScores:
        return await self._paced(self.inner.review(request))  # type: ignore[no-any-return]


async def measure(runtime: Runtime, studio: Studio, images: int, seconds: float) -> tuple[float, int, float]:
    paced_images = PacedImages(runtime.engines.image, seconds)
    paced_vision = PacedVision(runtime.engines.vision, seconds)
    runtime.engines.__dict__.update(image=paced_images, vision=paced_vision)
    project = await create_project(studio.editor, name="Bench")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    await create_character(studio.editor, project["id"], name="Hana", appearance_data={"species": "human"})
    await studio.editor.put(f"{API}/quality/gates", json=APPROVE_ALL)
    guards = {"cooldown_seconds": 0, "daily_limit": 1000, "pending_buffer": 1000, "max_concurrent": 1}
    await studio.editor.put(f"{LOOP}/settings", json=guards)
    await studio.editor.post(f"{LOOP}/target", params={"target": images, "character_slug": "hana"})
    started = time.monotonic()
    await studio.editor.post(f"{LOOP}/toggle", params={"enabled": True})
    await settled(runtime, timeout=images * seconds * 10)
    wall = time.monotonic() - started
    return wall, paced_images.calls + paced_vision.calls, paced_images.busy + paced_vision.busy


async def main(images: int, seconds: float) -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-replenish-"))
    folder.chmod(0o755)
    socket_dir = server.start_embedded(folder / "pgdata")
    try:
        server.create_database(socket_dir, "bench")
        url = server.embedded_url(socket_dir, "bench")
        migrate.upgrade(url)
        settings = Settings(data_dir=folder / "data", media_root=folder / "media", ui_dir=None, embedded_worker=False)
        app = create_app(settings, database_url=url)
        async with app.router.lifespan_context(app):
            runtime: Runtime = app.state.runtime
            runtime.start_worker(concurrency=4)
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                studio = await Studio.create(client, runtime.db)
                wall, calls, engine = await measure(runtime, studio, images, seconds)
            await runtime.stop_workers()
    finally:
        server.stop_embedded(folder / "pgdata")
        shutil.rmtree(folder, ignore_errors=True)
    print(f"replenishment_images: {calls // 2}")
    print(f"replenishment_wall_s: {wall:.2f}")
    print(f"replenishment_engine_s: {engine:.2f}")
    print(f"replenishment_overhead_per_image_s: {(wall - engine) / max(1, calls // 2):.3f}")
    print(f"replenishment_overhead_ratio: {(wall - engine) / engine:.4f}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    asyncio.run(main(int(arguments[0]) if arguments else 12, float(arguments[1]) if len(arguments) > 1 else 1.0))
