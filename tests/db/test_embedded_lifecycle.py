"""Stopping the studio stops its embedded PostgreSQL, unless another studio process still uses it."""

from __future__ import annotations

import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.db.processes import Studio, data_dir, handle_pids, postmasters, wait_until

pytestmark = pytest.mark.xdist_group("embedded-lifecycle")


@pytest.fixture
def folder(template: Path) -> Iterator[Path]:
    with data_dir(template) as copy:
        yield copy


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stopping_serve_stops_the_database(folder: Path, sig: signal.Signals) -> None:
    serve = Studio(folder, "serve")
    serve.wait_healthy()
    assert postmasters(serve.pgdata)
    serve.stop(sig)
    assert postmasters(serve.pgdata) == [], serve.log
    assert handle_pids(serve.pgdata) == []


def test_sigterm_during_start_up_stops_the_database(folder: Path) -> None:
    serve = Studio(folder, "serve")
    serve.wait_registered()  # the server runs; migrations, the first admin and uvicorn are still to come
    serve.stop(signal.SIGTERM)
    assert postmasters(serve.pgdata) == [], serve.log


def test_the_last_of_two_processes_stops_the_shared_database(folder: Path) -> None:
    serve = Studio(folder, "serve")
    serve.wait_healthy()
    worker = Studio(folder, "worker")
    worker.wait_registered()
    worker.stop(signal.SIGTERM)
    assert postmasters(serve.pgdata), worker.log
    assert serve.healthy()
    assert handle_pids(serve.pgdata) == [serve.process.pid]

    worker = Studio(folder, "worker")
    worker.wait_registered()
    serve.stop(signal.SIGTERM)
    assert postmasters(serve.pgdata), serve.log  # the worker still uses it
    worker.stop(signal.SIGINT)
    assert postmasters(serve.pgdata) == [], worker.log


def test_ids_of_killed_processes_do_not_keep_the_database_up(folder: Path) -> None:
    killed = Studio(folder, "serve")
    killed.wait_healthy()
    killed.kill()
    assert postmasters(killed.pgdata)  # SIGKILL leaves it (nothing can run), and its id in the handle file
    assert handle_pids(killed.pgdata) == [killed.process.pid]

    serve = Studio(folder, "serve")
    serve.wait_healthy()
    assert handle_pids(serve.pgdata) == [serve.process.pid]
    serve.stop(signal.SIGTERM)
    wait_until(lambda: not postmasters(serve.pgdata), 10, "the server to stop")
