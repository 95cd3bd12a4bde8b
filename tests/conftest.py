"""Test fixtures: a real embedded PostgreSQL per test process, the app, clients per role."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from anime_studio.app import create_app
from anime_studio.config import Settings
from anime_studio.db import migrate, server
from anime_studio.db.models import metadata
from anime_studio.db.server import stop_embedded
from anime_studio.db.session import Database
from anime_studio.runtime import Runtime
from tests.factories import Studio

os.environ.setdefault("ANIME_STUDIO_DATA_DIR", "/nonexistent-test-data-dir")


@pytest.fixture(scope="session")
def pg_socket() -> Iterator[str]:
    """One embedded PostgreSQL server per test process (xdist workers each get their own).

    It lives outside pytest's temp dir: that one is private to root, and the server runs as its own user.
    """
    folder = Path(tempfile.mkdtemp(prefix="anime-studio-test-pg-"))
    folder.chmod(0o755)
    yield server.start_embedded(folder / "pgdata")
    stop_embedded(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def database_url(pg_socket: str) -> str:
    server.create_database(pg_socket, "studio_test")
    url = server.embedded_url(pg_socket, "studio_test")
    migrate.upgrade(url)
    return url


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory, media_root: Path) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        media_root=media_root,
        ui_dir=None,
        embedded_worker=False,
        job_retry_base_seconds=0,
        worker_heartbeat_interval=0.5,
        worker_stalled_after=3,
        worker_recovery_interval=0.5,
        worker_shutdown_grace=2,
    )


@pytest.fixture(scope="session")
async def app(settings: Settings, database_url: str) -> AsyncIterator[object]:
    application = create_app(settings, database_url=database_url)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture(scope="session")
def db(app: object) -> Database:
    return app.state.db  # type: ignore[attr-defined, no-any-return]


@pytest.fixture(scope="session")
def runtime(app: object) -> Runtime:
    return app.state.runtime  # type: ignore[attr-defined, no-any-return]


TABLES = ", ".join([f'"{t.name}"' for t in metadata.sorted_tables] + ["procrastinate_jobs"])


@pytest.fixture(autouse=True)
async def _clean_database(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """Every test that touches the database starts from empty tables."""
    database: Database | None = request.getfixturevalue("db") if "database_url" in request.fixturenames else None
    memory = request.getfixturevalue("runtime").memory if database is not None else None
    yield
    if database is None:
        return
    if memory is not None:
        await memory.settled()  # its transaction would deadlock with the TRUNCATE
    async with database.engine.begin() as conn:
        await conn.execute(text(f"TRUNCATE {TABLES} RESTART IDENTITY CASCADE"))


@pytest.fixture
async def worker(runtime: Runtime) -> AsyncIterator[asyncio.Task[None]]:
    """A real Procrastinate worker in this process for the duration of one test."""
    task = runtime.start_worker(concurrency=4)
    await asyncio.sleep(0.1)
    yield task
    await runtime.stop_workers()


@pytest.fixture
async def client(app: object) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://studio.test") as c:
        yield c


@pytest.fixture
async def studio(client: httpx.AsyncClient, db: Database) -> Studio:
    """Clients signed in as an admin, an editor and a reviewer (API tokens)."""
    return await Studio.create(client, db)


@pytest.fixture
def anyio_backend() -> Iterator[str]:
    yield "asyncio"
