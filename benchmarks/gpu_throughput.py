"""Run throughput through the per-backend GPU queues: K fake ComfyUI backends taking T seconds per prompt.

Many runs: each renders one image through the studio's real path (run queue → image engine → GPU queue
job → ComfyUI). The ideal is K/T prompts per second; prints ``throughput / (K/T)`` for K = 1, 2, 4 (target
≥ 0.95), and each K's steady-state busy fraction (prompts started on a backend back to back: T / mean gap).
One run: a single run of 20 independent images (``generate_all``, as ``generate.images`` does) over the K
backends; prints its ``throughput / (K/T)`` too (target ≥ 0.95), timed from the enqueue to the run's end.
Usage: ``python benchmarks/gpu_throughput.py [seconds_per_prompt] [prompts_per_backend] [images_in_one_run]``
(defaults 1.0, 20 and 20; 0 prompts per backend skips the many-runs part).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import tests.jobs.handlers  # noqa: F401  (registers the ``test.render`` run kind)
from sqlalchemy import select
from tests.engines.comfyui.conftest import MODELS, SD15
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.live import LiveServer

from anime_studio.config import Settings
from anime_studio.db import migrate, server
from anime_studio.jobs import service
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.jobs.models import RunStatus
from anime_studio.runtime import runtime


async def measure(url: str, folder: Path, backends: int, seconds: float, per_backend: int) -> float:
    servers = [
        LiveServer(FakeComfyUI(folder / f"k{backends}-{i}", models=MODELS, duration=seconds).app).start()
        for i in range(backends)
    ]
    settings = Settings(
        data_dir=folder / f"data{backends}",
        embedded_worker=False,
        image_engine="comfyui",
        comfyui_urls=[s.url for s in servers],
        comfyui_scheduler="queue",
        comfyui_poll_interval=0.5,
        worker_concurrency=backends * 4,
    )
    count = backends * per_backend
    async with runtime(settings, url) as rt:
        await rt.engines.image.models()  # warm /object_info, as a running studio has it
        rt.start_worker()
        await asyncio.sleep(0.5)
        started = time.perf_counter()
        async with rt.db.transaction() as session:
            runs = [
                (
                    await service.enqueue(
                        session=session,
                        kind="test.render",
                        params={"seed": n, "checkpoint": SD15, "output": str(folder / f"{backends}_{n}.png")},
                    )
                ).id
                for n in range(count)
            ]
        while True:
            async with rt.db.sessionmaker() as session:
                done = [await service.get(session=session, run_id=r) for r in runs]
            if all(r.status.finished for r in done):
                break
            await asyncio.sleep(0.05)
        elapsed = time.perf_counter() - started
        failed = [r.error for r in done if r.status != RunStatus.succeeded]
        assert not failed, failed
        await rt.stop_workers()
        async with rt.db.sessionmaker() as session:
            rows = (await session.scalars(select(GpuRender).where(GpuRender.backend.in_(settings.comfyui_urls)))).all()
    starts: dict[str, list[float]] = {}
    for row in rows:
        if row.started_at is not None:
            starts.setdefault(row.backend, []).append(row.started_at.timestamp())
    gaps = [(max(t) - min(t)) / (len(t) - 1) for t in starts.values() if len(t) > 1]
    busy = seconds / (sum(gaps) / len(gaps)) if gaps else 0.0
    print(f"gpu_throughput.k{backends}_busy: {min(1.0, busy):.3f} (steady state)")
    for server_ in servers:
        server_.stop()
    return (count / elapsed) / (backends / seconds)


async def measure_single_run(url: str, folder: Path, backends: int, seconds: float, images: int) -> float:
    """One run of ``images`` independent images over ``backends`` backends: (images / elapsed) / (K / T)."""
    fakes = [FakeComfyUI(folder / f"single{backends}-{i}", models=MODELS, duration=seconds) for i in range(backends)]
    servers = [LiveServer(fake.app).start() for fake in fakes]
    settings = Settings(
        data_dir=folder / f"single-data{backends}",
        embedded_worker=False,
        image_engine="comfyui",
        comfyui_urls=[s.url for s in servers],
        comfyui_scheduler="queue",
        comfyui_poll_interval=0.5,
    )
    async with runtime(settings, url) as rt:
        await rt.engines.image.models()  # warm /object_info, as a running studio has it
        rt.start_worker()
        await asyncio.sleep(0.5)
        started = time.monotonic()
        async with rt.db.transaction() as session:
            params = {"seed": 1, "count": images, "checkpoint": SD15, "folder": str(folder)}
            run_id = (await service.enqueue(session=session, kind="test.render_batch", params=params)).id
        while True:
            async with rt.db.sessionmaker() as session:
                run = await service.get(session=session, run_id=run_id)
            if run.status.finished:
                break
            await asyncio.sleep(0.02)
        ended = time.monotonic()
        elapsed = ended - started
        assert run.status == RunStatus.succeeded, run.error
        await rt.stop_workers()
    used = {image["backend"] for image in run.result["images"]}
    spans = [span for fake in fakes for span in fake.busy]
    first, last = min(start for start, _ in spans), max(end for _, end in spans)
    print(
        f"gpu_throughput.single_run_k{backends}_backends_used: {len(used)}/{backends} ({elapsed:.2f} s: "
        f"{first - started:.2f} s to the first prompt, {ended - last:.2f} s after the last)"
    )
    for server_ in servers:
        server_.stop()
    return (images / elapsed) / (backends / seconds)


async def main(seconds: float, per_backend: int, images: int) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-gpu-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)
        socket = server.start_embedded(folder / "pgdata")
        server.create_database(socket, "bench")
        url = server.embedded_url(socket, "bench")
        migrate.upgrade(url)
        for backends in (1, 2, 4) if per_backend > 0 else ():
            ratio = await measure(url, folder, backends, seconds, per_backend)
            print(
                f"gpu_throughput.k{backends}_ratio: {ratio:.3f} (target >= 0.95, T={seconds:g}s, {per_backend}/backend)"
            )
        for backends in (1, 2, 4):
            ratio = await measure_single_run(url, folder, backends, seconds, images)
            print(
                f"gpu_throughput.single_run_k{backends}_ratio: {ratio:.3f} "
                f"(target >= 0.95, T={seconds:g}s, one run of {images} images)"
            )
        server.stop_embedded(folder / "pgdata")


if __name__ == "__main__":
    args = sys.argv[1:]
    seconds = float(args[0]) if args else 1.0
    per_backend = int(args[1]) if len(args) > 1 else 20
    images = int(args[2]) if len(args) > 2 else 20
    asyncio.run(main(seconds, per_backend, images))
