"""``anime-studio worker``: work the job queues from this machine (scale out beside ``serve``)."""

from __future__ import annotations

import asyncio
import contextlib
import signal
from pathlib import Path
from typing import Annotated

import typer

from anime_studio.cli.common import console, load_settings, setup_logging
from anime_studio.runtime import prepare_database, runtime


async def _work(data_dir: Path | None, queues: list[str] | None, concurrency: int | None) -> None:
    settings = load_settings(data_dir)
    url = await asyncio.to_thread(prepare_database, settings)
    async with runtime(settings, url) as rt:
        worker = rt.start_worker(queues=queues, concurrency=concurrency)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        console.print(f"worker running on queues: {', '.join(queues) if queues else 'all'}")
        done, _ = await asyncio.wait([worker, asyncio.create_task(stop.wait())], return_when=asyncio.FIRST_COMPLETED)
        if worker in done:
            with contextlib.suppress(asyncio.CancelledError):
                worker.result()


def worker(
    queues: Annotated[str | None, typer.Option(help="Comma-separated queues, e.g. studio,gpu.0 (default: all)")] = None,
    concurrency: Annotated[int | None, typer.Option(min=1, max=64, help="Runs executed at once")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (embedded database)")] = None,
    log_level: Annotated[str, typer.Option(help="debug, info, warning")] = "info",
) -> None:
    """Run a worker: executes queued runs (generation, scenes, episodes…) until stopped."""
    setup_logging(log_level)
    selected = [q.strip() for q in queues.split(",") if q.strip()] if queues else None
    asyncio.run(_work(data_dir, selected, concurrency))
