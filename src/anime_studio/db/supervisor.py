"""Keep the embedded PostgreSQL up: a process that uses it restarts it, with backoff, when it dies."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

from anime_studio.db import embedded

log = logging.getLogger(__name__)

CHECK_INTERVAL = 1.0
MAX_BACKOFF = 30.0


class _Watch:
    def __init__(self, pgdata: Path) -> None:
        self.pgdata = pgdata
        self.down_since: float | None = None
        self.next_try = 0.0
        self.backoff = 0.5
        self.attempts = 0


async def supervise(interval: float = CHECK_INTERVAL) -> None:
    """Until cancelled: restart each embedded server this process uses when its postmaster is gone.

    Every studio process on the data dir runs this; pgserver's lock lets one of them launch it and the
    others find it running. Launches back off (0.5 s doubling to 30 s): a crashed server can need a
    moment before its old backends have exited and it can start again.
    """
    watches: dict[Path, _Watch] = {}
    while True:
        for pgdata in embedded.held():
            watch = watches.setdefault(pgdata, _Watch(pgdata))
            await _check(watch)
        await asyncio.sleep(interval)


async def _check(watch: _Watch) -> None:
    now = time.monotonic()
    if await asyncio.to_thread(embedded.is_running, watch.pgdata):
        if watch.down_since is not None:
            log.warning("embedded PostgreSQL is running again after %.1f s", now - watch.down_since)
            watch.down_since, watch.backoff, watch.attempts = None, 0.5, 0
        return
    if watch.down_since is None:
        watch.down_since, watch.next_try = now, now
        log.warning("embedded PostgreSQL stopped unexpectedly; restarting it")
    if now < watch.next_try:
        return
    watch.attempts += 1
    if watch.attempts in (5, 20) or watch.attempts % 100 == 0:  # a falling rate, not a line per try
        log.warning(
            "embedded PostgreSQL still down after %d start attempts; see %s", watch.attempts, watch.pgdata / "log"
        )
    await asyncio.to_thread(embedded.restart, watch.pgdata)
    watch.next_try = time.monotonic() + watch.backoff
    watch.backoff = min(watch.backoff * 2, MAX_BACKOFF)
