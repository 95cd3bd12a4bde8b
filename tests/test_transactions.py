"""The request's transaction commits before the response starts (a client that gets 201 can read it back)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import text

from anime_studio.db.session import Database
from tests.factories import Studio


async def test_write_is_committed_before_the_response_starts(app: Any, db: Database, studio: Studio) -> None:
    body = json.dumps({"name": "Committed first"}).encode()
    committed_at_start: list[int] = []
    sent = False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            assert message["status"] == 201
            async with db.engine.connect() as conn:  # another connection: sees only committed data
                count = await conn.scalar(text("SELECT count(*) FROM projects WHERE name = 'Committed first'"))
                committed_at_start.append(int(count or 0))

    headers = [(b"authorization", f"Bearer {studio.editor.token}".encode()), (b"content-type", b"application/json")]
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/lora/projects",
        "raw_path": b"/api/lora/projects",
        "root_path": "",
        "query_string": b"",
        "headers": headers,
        "client": ("127.0.0.1", 1),
        "server": ("studio.test", 80),
    }
    await app(scope, receive, send)
    assert committed_at_start == [1]
