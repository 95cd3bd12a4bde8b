"""Gallery page of 50 items from a project with 100 000 images: latency over HTTP on the real database."""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

from anime_studio.app import create_app
from anime_studio.auth import service as auth
from anime_studio.auth.models import Role
from anime_studio.config import Settings
from anime_studio.db import migrate, server

IMAGES, PAGE, REQUESTS = 100_000, 50, 300


def seed(url: str, project_id: int) -> None:
    """COPY 100 000 image rows (spread over a year, mixed statuses) straight into ``assets``."""
    origin = datetime(2026, 1, 1, tzinfo=UTC)
    statuses = ("pending", "approved", "rejected")
    columns = (
        "project_id, kind, status, path, mime, width, height, size_bytes, review, provenance, feedback, created_at"
    )
    with psycopg.connect(server.libpq_url(url)) as conn, conn.cursor() as cursor:
        with cursor.copy(f"COPY assets ({columns}) FROM STDIN") as copy:
            for n in range(IMAGES):
                created = origin + timedelta(seconds=n * 313 % 31_536_000)
                path = f"datasets/bench/img_{n:06d}.png"
                copy.write_row(
                    (project_id, "image", statuses[n % 3], path, "image/png", 1024, 576, n, "{}", "{}", "", created)
                )
        cursor.execute("ANALYZE assets")


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-gallery-") as tmp:
        folder = Path(tmp)
        folder.chmod(0o755)
        socket = server.start_embedded(folder / "pgdata")
        server.create_database(socket, "bench")
        url = server.embedded_url(socket, "bench")
        migrate.upgrade(url)
        settings = Settings(data_dir=folder, embedded_worker=False)
        app = create_app(settings, database_url=url)
        async with app.router.lifespan_context(app):
            async with app.state.db.transaction() as session:
                user = await auth.create_user(session=session, username="bench", password="benchmark!", role=Role.admin)
                _, token = await auth.create_api_token(session=session, user=user, name="bench")
            headers = {"Authorization": f"Bearer {token}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
                project = (await client.post("/api/lora/projects", json={"name": "Bench"}, headers=headers)).json()
                started = time.perf_counter()
                await asyncio.to_thread(seed, url, project["id"])
                print(f"gallery.seed_s: {time.perf_counter() - started:.1f} ({IMAGES} images)")
                latencies, cursor = [], None
                filters = [{}, {"status": "approved"}, {"kind": "image"}]
                for n in range(REQUESTS):
                    params = {"project_id": project["id"], "limit": PAGE, **filters[n % 3]}
                    if cursor and n % 10:
                        params["cursor"] = cursor
                    t0 = time.perf_counter()
                    response = await client.get("/api/lora/gallery", params=params, headers=headers)
                    latencies.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200 and len(response.json()["items"]) == PAGE
                    cursor = response.json()["next_cursor"]
        server.stop_embedded(folder / "pgdata")
    latencies.sort()
    print(f"gallery.p50_ms: {statistics.median(latencies):.1f}")
    print(f"gallery.p95_ms: {latencies[int(0.95 * len(latencies))]:.1f}")
    print(f"gallery.max_ms: {latencies[-1]:.1f}")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
