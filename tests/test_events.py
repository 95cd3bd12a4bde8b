"""Event bus: pub/sub, transactional emit, the LISTEN/NOTIFY bridge, and the SSE stream."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import text

from anime_studio.config import Settings
from anime_studio.db.server import libpq_url
from anime_studio.db.session import Database
from anime_studio.deps import SESSION_COOKIE
from anime_studio.events.bridge import PgBridge
from anime_studio.events.bus import Event, EventBus, get_bus, matches
from anime_studio.events.outbox import emit
from tests.factories import PASSWORD, Studio


def test_patterns() -> None:
    assert matches("run.progress", ())
    assert matches("run.progress", ("run.*",)) and matches("run.progress", ("run.",))
    assert matches("image.approved", ("image.approved",))
    assert not matches("image.approved", ("image.rejected", "run.*"))


async def test_subscribers_receive_matching_events_and_replay_after_an_id() -> None:
    bus = EventBus(replay=10)
    async with bus.subscribe("image.*") as images:
        first = bus.publish("image.approved", {"id": 1})
        bus.publish("run.progress", {"run_id": 2})
        second = bus.publish("image.rejected", {"id": 3})
        assert (await images.get()).id == first.id
        assert (await images.get()).id == second.id
        assert images.queue.empty()
    assert [e.name for e in bus.recent_after(first.id)] == ["run.progress", "image.rejected"]
    assert bus.recent_after("unknown") == []


async def test_slow_subscriber_drops_oldest_never_blocks() -> None:
    bus = EventBus()
    async with bus.subscribe(maxsize=3) as sub:
        for i in range(5):
            bus.publish("tick", {"i": i})
        got = [(await sub.get()).data["i"] for _ in range(3)]
    assert got == [2, 3, 4] and sub.dropped == 2


async def test_handler_failure_is_isolated(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    calls: list[str] = []

    @bus.on("generation.completed")
    async def broken(event: Event) -> None:
        raise RuntimeError("handler bug")

    @bus.on("generation.*")
    async def works(event: Event) -> None:
        calls.append(event.name)

    bus.publish("generation.completed", {})
    await bus.drain()
    assert calls == ["generation.completed"]
    assert "handler bug" in caplog.text


async def test_emit_publishes_only_after_commit(db: Database) -> None:
    async with get_bus().subscribe("test.outbox") as sub:
        async with db.sessionmaker() as session:
            emit(session, "test.outbox", {"n": 1})
            await session.rollback()
        async with db.transaction() as session:
            emit(session, "test.outbox", {"n": 2})
            await session.execute(text("SELECT 1"))
            assert sub.queue.empty()
        event = await asyncio.wait_for(sub.get(), 1)
    assert event.data == {"n": 2} and sub.queue.empty()


async def test_bridge_delivers_events_from_another_process(database_url: str, db: Database) -> None:
    other_bus = EventBus()
    other = PgBridge(other_bus, libpq_url(database_url))
    await other.start()
    try:
        async with get_bus().subscribe("remote.*") as here, other_bus.subscribe("remote.*") as there:
            other_bus.publish("remote.hello", {"from": "worker"})
            received = await asyncio.wait_for(here.get(), 5)
            assert received.data == {"from": "worker"}
            assert (await there.get()).id == received.id  # local delivery on the sender too
            get_bus().publish("remote.reply", {"from": "api"})
            reply = await asyncio.wait_for(there.get(), 5)
            assert reply.name == "remote.reply"
            await asyncio.sleep(0.2)
            assert here.queue.qsize() == 1  # our own reply, not echoed back through NOTIFY
    finally:
        await other.stop()


async def _open_sse(
    app: Any, headers: dict[str, str], query: str = ""
) -> tuple[asyncio.Queue[bytes], asyncio.Task[None]]:
    """Drive the ASGI app directly so the infinite SSE response can be read chunk by chunk."""
    chunks: asyncio.Queue[bytes] = asyncio.Queue()
    disconnect = asyncio.Event()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/api/lora/events",
        "raw_path": b"/api/lora/events",
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 1),
        "server": ("studio.test", 80),
        "app": app,
    }

    async def receive() -> dict[str, Any]:
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            await chunks.put(str(message["status"]).encode())
        elif message.get("body"):
            await chunks.put(message["body"])

    task = asyncio.create_task(app(scope, receive, send))
    task.add_done_callback(lambda _: disconnect.set())
    return chunks, task


async def _frames(chunks: asyncio.Queue[bytes], count: int) -> list[dict[str, Any]]:
    frames: list[dict[str, Any]] = []
    while len(frames) < count:
        chunk = (await asyncio.wait_for(chunks.get(), 5)).decode()
        for block in chunk.split("\n\n"):
            data = [line[6:] for line in block.splitlines() if line.startswith("data: ")]
            if data:
                frames.append(json.loads(data[0]))
    return frames


async def test_sse_streams_matching_events(app: Any, studio: Studio) -> None:
    chunks, task = await _open_sse(app, studio.reviewer.headers, "names=run.*")
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        assert (await asyncio.wait_for(chunks.get(), 5)).startswith(b"retry:")
        get_bus().publish("image.approved", {"ignored": True})
        get_bus().publish("run.progress", {"run_id": 7, "progress": 0.5})
        frames = await _frames(chunks, 1)
        assert frames[0]["name"] == "run.progress" and frames[0]["data"]["run_id"] == 7
    finally:
        task.cancel()


async def test_sse_replays_after_last_event_id(app: Any, studio: Studio) -> None:
    before = get_bus().publish("run.queued", {"run_id": 1})
    missed = get_bus().publish("run.started", {"run_id": 1})
    chunks, task = await _open_sse(app, {**studio.reviewer.headers, "Last-Event-ID": before.id})
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        frames = await _frames(chunks, 1)
        assert frames[0]["id"] == missed.id
    finally:
        task.cancel()


async def test_sse_requires_authentication(client: Any) -> None:
    assert (await client.get("/api/lora/events")).status_code == 401


async def test_sse_replays_after_last_event_id_query(app: Any, studio: Studio) -> None:
    before = get_bus().publish("run.queued", {"run_id": 2})
    missed = get_bus().publish("run.started", {"run_id": 2})
    chunks, task = await _open_sse(app, studio.reviewer.headers, f"last_event_id={before.id}")
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        frames = await _frames(chunks, 1)
        assert frames[0]["id"] == missed.id
    finally:
        task.cancel()


async def _closes_by_itself(task: asyncio.Task[None], chunks: asyncio.Queue[bytes]) -> list[bytes]:
    """Wait for the stream to end on the server's side; everything it sent after the first two chunks."""
    await asyncio.wait_for(task, 5)
    return [chunks.get_nowait() for _ in range(chunks.qsize())]


async def test_sse_ends_once_its_token_is_revoked(
    app: Any, studio: Studio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "events_recheck_seconds", 0.2)
    created = (await studio.editor.post("/api/lora/auth/tokens", json={"name": "watcher"})).json()
    chunks, task = await _open_sse(app, {"Authorization": f"Bearer {created['token']}"}, "names=run.*")
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        assert (await asyncio.wait_for(chunks.get(), 5)).startswith(b"retry:")
        get_bus().publish("run.progress", {"run_id": 1})
        assert (await _frames(chunks, 1))[0]["data"]["run_id"] == 1
        assert (await studio.editor.delete(f"/api/lora/auth/tokens/{created['id']}")).status_code == 204
        await _closes_by_itself(task, chunks)
        get_bus().publish("run.progress", {"run_id": 2})
        assert chunks.empty()
    finally:
        task.cancel()


async def test_sse_ends_once_its_user_is_deactivated(
    app: Any, client: Any, studio: Studio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "events_recheck_seconds", 0.2)
    login = await client.post("/api/lora/auth/login", json={"username": "rita", "password": PASSWORD})
    cookie = f"{SESSION_COOKIE}={login.cookies[SESSION_COOKIE]}"
    chunks, task = await _open_sse(app, {"Cookie": cookie})
    try:
        assert await asyncio.wait_for(chunks.get(), 5) == b"200"
        rita = next(u for u in (await studio.admin.get("/api/lora/users")).json() if u["username"] == "rita")
        assert (await studio.admin.patch(f"/api/lora/users/{rita['id']}", json={"is_active": False})).status_code == 200
        await _closes_by_itself(task, chunks)
    finally:
        task.cancel()


async def test_local_only_reactions_skip_events_from_other_processes() -> None:
    bus = EventBus()
    everywhere: list[str] = []
    here_only: list[str] = []

    @bus.on("image.approved")
    async def anywhere(event: Event) -> None:
        everywhere.append(str(event.data["from"]))

    @bus.on("image.approved", local_only=True)
    async def local(event: Event) -> None:
        here_only.append(str(event.data["from"]))

    bus.publish("image.approved", {"from": "here"})
    bus.deliver(Event(name="image.approved", data={"from": "there"}), remote=True)
    await bus.drain()
    assert sorted(everywhere) == ["here", "there"] and here_only == ["here"]
    bus.remove(local)
    bus.publish("image.approved", {"from": "again"})
    await bus.drain()
    assert here_only == ["here"]
