"""Helpers for Echo Brain tests: ask a question and read the answer's Server-Sent Events."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.factories import API, As
from tests.fakes.live import LiveServer
from tests.fakes.ollama import FakeOllama


@pytest.fixture
def ollama() -> Iterator[tuple[FakeOllama, str]]:
    fake = FakeOllama()
    with LiveServer(fake.app) as server:
        yield fake, server.url


def events(body: str) -> list[tuple[str, Any]]:
    """``(event, data)`` of each frame of a Server-Sent Events body."""
    found = []
    for block in body.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if ": " in line)
        found.append((fields["event"], json.loads(fields["data"])))
    return found


async def ask(user: As, conversation_id: int, question: str) -> tuple[str, dict[str, Any], list[tuple[str, Any]]]:
    """The streamed answer text, the stored message and every event."""
    response = await user.post(f"{API}/echo/conversations/{conversation_id}/ask", json={"question": question})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/event-stream")
    frames = events(response.text)
    assert [name for name, _ in frames if name == "error"] == [], frames
    text = "".join(data["text"] for name, data in frames if name == "delta")
    (message,) = [data for name, data in frames if name == "message"]
    return text, message, frames


async def conversation(user: As, project_id: int) -> int:
    response = await user.post(f"{API}/echo/conversations", json={"project_id": project_id})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])
