"""The fake servers refuse what the real ones refuse, so a client bug fails a test instead of passing silently."""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Iterator

import httpx
import pytest
from PIL import Image

from tests.fakes.acestep import FakeAceStep
from tests.fakes.jellyfin import FakeJellyfin
from tests.fakes.live import LiveServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI


def png_b64() -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (255, 0, 0)).save(buffer, format="PNG")
    return base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture
def ollama() -> Iterator[httpx.Client]:
    with LiveServer(FakeOllama().app) as server, httpx.Client(base_url=server.url) as client:
        yield client


def test_ollama_strictness(ollama: httpx.Client) -> None:
    chat = {"model": "gemma3:12b", "messages": [{"role": "user", "content": "hi"}]}
    streamed = ollama.post("/api/chat", json=chat)  # no "stream": false → NDJSON, as in real Ollama
    lines = [json.loads(line) for line in streamed.text.splitlines()]
    assert len(lines) == 3 and lines[-1]["done"] is True
    assert ollama.post("/api/chat", json={**chat, "model": "nope"}).json() == {"error": "model 'nope' not found"}
    bad_image = {"role": "user", "content": "x", "images": ["data:image/png;base64," + png_b64()]}
    response = ollama.post("/api/chat", json={**chat, "stream": False, "messages": [bad_image]})
    assert response.status_code == 400 and response.json()["error"] == "illegal base64 data at input byte 4"
    not_image = {"role": "user", "content": "x", "images": [base64.b64encode(b"hello world!").decode()]}
    assert ollama.post("/api/chat", json={**chat, "stream": False, "messages": [not_image]}).status_code == 400
    schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 3, "maximum": 4}}, "required": ["n"]}
    good = {**chat, "stream": False, "format": schema, "messages": [{**chat["messages"][0], "images": [png_b64()]}]}
    answer = json.loads(ollama.post("/api/chat", json=good).json()["message"]["content"])
    assert answer["n"] in (3, 4)
    assert ollama.post("/api/chat", json={**chat, "format": "yaml"}).status_code == 400
    assert ollama.post("/api/chat", content=b"{not json").status_code == 400
    assert ollama.post("/api/embed", json={"model": "nomic-embed-text", "input": 5}).status_code == 400


def test_openai_strictness() -> None:
    fake = FakeOpenAI()
    with LiveServer(fake.app) as server, httpx.Client(base_url=server.url + "/v1") as client:
        auth = {"Authorization": "Bearer sk-test"}
        chat = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
        assert client.post("/chat/completions", json=chat).status_code == 401
        assert (
            client.post("/chat/completions", json=chat, headers={"Authorization": "Bearer x"}).json()["error"]["code"]
            == "invalid_api_key"
        )
        loose = {"type": "object", "properties": {"a": {"type": "string"}}, "required": []}
        fmt = {"type": "json_schema", "json_schema": {"name": "x", "schema": loose, "strict": True}}
        refused = client.post("/chat/completions", json={**chat, "response_format": fmt}, headers=auth)
        assert refused.status_code == 400 and "additionalProperties" in refused.json()["error"]["message"]
        raw_b64 = [{"type": "image_url", "image_url": {"url": png_b64()}}]
        bad = {**chat, "messages": [{"role": "user", "content": raw_b64}]}
        assert client.post("/chat/completions", json=bad, headers=auth).status_code == 400
        missing = client.post("/chat/completions", json={**chat, "model": "gpt-9"}, headers=auth)
        assert missing.status_code == 404 and missing.json()["error"]["code"] == "model_not_found"


def test_acestep_strictness() -> None:
    fake = FakeAceStep(api_key="k", delay=0.0)
    with LiveServer(fake.app) as server, httpx.Client(base_url=server.url) as client:
        body = {"prompt": "x", "audio_format": "wav", "audio_duration": 10}
        assert client.post("/release_task", json=body).status_code == 401
        auth = {"Authorization": "Bearer k"}
        assert client.post("/release_task", data={"prompt": "x"}, headers=auth).status_code == 415
        assert client.post("/release_task", json={**body, "audio_duration": 5}, headers=auth).status_code == 400
        task = client.post("/release_task", json=body, headers=auth).json()["data"]["task_id"]
        item = client.post("/query_result", json={"task_id_list": [task]}, headers=auth).json()["data"][0]
        assert item["status"] == 1 and isinstance(item["result"], str)
        assert client.get("/v1/audio", params={"path": "/etc/passwd"}, headers=auth).status_code == 403
        unknown = client.post("/query_result", json={"task_id_list": ["nope"]}, headers=auth).json()["data"][0]
        assert unknown == {"task_id": "nope", "result": "[]", "status": 0}


def test_jellyfin_strictness() -> None:
    fake = FakeJellyfin()
    with LiveServer(fake.app) as server, httpx.Client(base_url=server.url) as client:
        assert client.get("/System/Info", headers={"Authorization": "Bearer jf-token"}).status_code == 401
        assert client.get("/System/Info", headers={"Authorization": 'MediaBrowser Token="wrong"'}).status_code == 401
        auth = {"Authorization": 'MediaBrowser Token="jf-token"'}
        assert client.get("/System/Info", headers=auth).status_code == 200
        bad = client.post("/Library/Media/Updated", json={"Updates": [{"UpdateType": "Created"}]}, headers=auth)
        assert bad.status_code == 400
        assert client.post("/Library/Media/Updated", json={"Path": "/x"}, headers=auth).status_code == 400
        ok = {"Updates": [{"Path": "/x.mp4", "UpdateType": "Created"}]}
        assert client.post("/Library/Media/Updated", json=ok, headers=auth).status_code == 204
