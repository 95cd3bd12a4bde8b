"""Studio processes on their own data dir with the embedded PostgreSQL, as a person starts them."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[2]


def wait_until(condition: Callable[[], object], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def postmasters(pgdata: Path) -> list[psutil.Process]:
    """The ``postgres`` server processes started on ``pgdata`` (its backends' command lines do not name it)."""
    found = []
    for proc in psutil.process_iter(["name", "cmdline", "status"]):
        cmdline = proc.info["cmdline"] or []
        if proc.info["name"] == "postgres" and str(pgdata) in cmdline and proc.info["status"] != "zombie":
            found.append(proc)
    return found


def handle_pids(pgdata: Path) -> list[int]:
    path = pgdata / ".handle_pids.json"
    return [int(p) for p in json.loads(path.read_text() or "[]")] if path.exists() else []


@contextmanager
def data_dir(template: Path | None = None) -> Iterator[Path]:
    """A data dir outside pytest's temp dir (private to root; the server runs as its own user)."""
    folder = Path(tempfile.mkdtemp(prefix="anime-studio-test-life-"))
    folder.chmod(0o755)
    try:
        if template is not None:  # ``cp -a`` keeps the server user's ownership of pgdata
            subprocess.run(["cp", "-a", f"{template}/.", str(folder)], check=True)
        yield folder
    finally:
        for proc in postmasters(folder / "pgdata"):  # never leave a server behind, even when a test fails
            proc.kill()
        subprocess.run(["rm", "-rf", str(folder)], check=False)


class Studio:
    """One ``anime-studio`` command on a data dir; its log goes to a file next to it."""

    def __init__(self, folder: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.folder = folder
        self.port = free_port() if args[0] == "serve" else 0
        if self.port:
            args = (*args, "--port", str(self.port))
        self.log_path = folder / f"{args[0]}-{time.monotonic_ns()}.log"
        environment = {
            **os.environ,
            "ANIME_STUDIO_DATA_DIR": str(folder),
            "PYTHONPATH": str(REPO),
            "COLUMNS": "250",
            **(env or {}),
        }
        environment.pop("ANIME_STUDIO_DATABASE_URL", None)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "anime_studio", *args], env=environment, cwd=REPO, stdout=log, stderr=log
            )

    @property
    def pgdata(self) -> Path:
        return self.folder / "pgdata"

    @property
    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def healthy(self) -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{self.port}/api/lora/health", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def wait_registered(self, timeout: float = 60) -> None:
        """Until this process counts as a user of the embedded server."""
        wait_until(
            lambda: self.process.pid in handle_pids(self.pgdata) or self.process.poll() is not None,
            timeout,
            "the process to use the database",
        )
        assert self.process.poll() is None, self.log

    def wait_healthy(self, timeout: float = 60) -> None:
        wait_until(lambda: self.healthy() or self.process.poll() is not None, timeout, "the API")
        assert self.process.poll() is None, self.log

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 30) -> float:
        """Send ``sig``; return the seconds until the process exited."""
        start = time.monotonic()
        self.process.send_signal(sig)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise AssertionError(f"still running {timeout} s after {sig.name}:\n{self.log}") from None
        return time.monotonic() - start

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)
