"""A fake Ollama server: ``/api/chat`` (images, JSON-schema ``format``), ``/api/embed``, ``/api/tags``, ``/api/ps``.

Strict like the real one: unknown models are 404 ``{"error": "model 'x' not found"}``, malformed bodies 400,
bad base64 images 400 with Go's decoder message, and ``stream`` defaults to true (NDJSON) as in Ollama.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.fakes.common import image_problem, seeded, unit_vector
from tests.fakes.schema_tools import generate, validate

ROLES = {"system", "user", "assistant", "tool"}


class FakeOllama:
    """State and behaviour of the fake; ``replies`` scripts chat answers (FIFO) before the generated ones."""

    def __init__(
        self,
        models: tuple[str, ...] = ("gemma3:12b", "nomic-embed-text:latest"),
        vision_models: tuple[str, ...] = ("gemma3:12b",),
        embed_dimensions: int = 768,
    ) -> None:
        self.models = list(models)
        self.vision_models = set(vision_models)
        self.embed_dimensions = embed_dimensions
        self.replies: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.loaded: dict[str, float] = {}
        self.delay = 0.0
        self.app = Starlette(
            routes=[
                Route("/api/chat", self.chat, methods=["POST"]),
                Route("/api/embed", self.embed, methods=["POST"]),
                Route("/api/tags", self.tags, methods=["GET"]),
                Route("/api/ps", self.ps, methods=["GET"]),
            ]
        )

    def chats(self) -> list[dict[str, Any]]:
        """Bodies of every ``/api/chat`` request received."""
        return [body for path, body in self.requests if path == "/api/chat"]

    def resolve(self, name: str) -> str | None:
        wanted = name if ":" in name else f"{name}:latest"
        return next((m for m in self.models if m in (name, wanted)), None)

    async def chat(self, request: Request) -> Response:
        body, error = await _body(request)
        if error:
            return error
        self.requests.append(("/api/chat", body))
        await asyncio.sleep(self.delay)
        model, problem = self._model(body)
        if problem:
            return problem
        problem = self._check_messages(body.get("messages"), model)
        if problem:
            return problem
        fmt = body.get("format")
        if fmt not in (None, "", "json") and not (isinstance(fmt, dict) and fmt.get("type")):
            return _error(400, 'invalid format: expected "json" or a valid JSON schema')
        self.loaded[model] = time.time()
        content = self.replies.pop(0) if self.replies else self._answer(body, fmt)
        if body.get("stream", True) is False:
            return JSONResponse(_final(model, content))
        return StreamingResponse(_stream(model, content), media_type="application/x-ndjson")

    def _model(self, body: dict[str, Any]) -> tuple[str, Response | None]:
        name = body.get("model")
        if not isinstance(name, str) or not name:
            return "", _error(400, "model is required")
        model = self.resolve(name)
        if model is None:
            return "", _error(404, f"model '{name}' not found")
        return model, None

    def _check_messages(self, messages: Any, model: str) -> Response | None:
        if not isinstance(messages, list):
            return _error(400, "messages must be an array")
        for message in messages:
            if not isinstance(message, dict) or message.get("role") not in ROLES:
                return _error(400, f"invalid message: {str(message)[:80]}")
            if not isinstance(message.get("content", ""), str):
                return _error(400, "json: cannot unmarshal array into Go struct field Message.messages.content")
            images = message.get("images") or []
            if images and model not in self.vision_models:
                return _error(500, f"model {model} does not support image input")
            for image in images:
                problem = image_problem(image) if isinstance(image, str) else "images must be base64 strings"
                if problem:
                    return _error(400, problem)
        return None

    def _answer(self, body: dict[str, Any], fmt: Any) -> str:
        rng = seeded(body.get("model"), body.get("messages"), fmt)
        if isinstance(fmt, dict):
            instance = generate(fmt, rng)
            assert not validate(instance, fmt), validate(instance, fmt)
            return json.dumps(instance)
        if fmt == "json":
            return json.dumps({"answer": "ok"})
        last = next((m.get("content", "") for m in reversed(body["messages"]) if m.get("role") == "user"), "")
        return f"Noted: {last[:60]}"

    async def embed(self, request: Request) -> Response:
        body, error = await _body(request)
        if error:
            return error
        self.requests.append(("/api/embed", body))
        await asyncio.sleep(self.delay)
        model, problem = self._model(body)
        if problem:
            return problem
        texts = body.get("input")
        if isinstance(texts, str):
            texts = [texts]
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            return _error(400, "invalid input type")
        size = int(body.get("dimensions") or self.embed_dimensions)
        self.loaded[model] = time.time()
        vectors = [unit_vector(text, size) for text in texts]
        return JSONResponse({"model": model, "embeddings": vectors, "total_duration": 1000, "prompt_eval_count": 8})

    async def tags(self, request: Request) -> Response:
        return JSONResponse({"models": [_describe(name) for name in self.models]})

    async def ps(self, request: Request) -> Response:
        expires = datetime.now(UTC).isoformat()
        models = [{**_describe(name), "expires_at": expires, "size_vram": 1 << 30} for name in self.loaded]
        return JSONResponse({"models": models})


async def _body(request: Request) -> tuple[dict[str, Any], Response | None]:
    try:
        body = json.loads(await request.body())
    except ValueError as error:
        return {}, _error(400, f"invalid character in JSON: {error}")
    if not isinstance(body, dict):
        return {}, _error(400, "json: cannot unmarshal into request object")
    return body, None


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


def _final(model: str, content: str) -> dict[str, Any]:
    return {
        "model": model,
        "created_at": datetime.now(UTC).isoformat(),
        "message": {"role": "assistant", "content": content},
        "done_reason": "stop",
        "done": True,
        "total_duration": 1_000_000,
        "eval_count": len(content.split()),
    }


async def _stream(model: str, content: str) -> AsyncIterator[bytes]:
    half = len(content) // 2
    for piece in (content[:half], content[half:]):
        chunk = {"model": model, "message": {"role": "assistant", "content": piece}, "done": False}
        yield (json.dumps(chunk) + "\n").encode()
    yield (json.dumps({**_final(model, ""), "message": {"role": "assistant", "content": ""}}) + "\n").encode()


def _describe(name: str) -> dict[str, Any]:
    family = name.split(":")[0]
    return {
        "name": name,
        "model": name,
        "modified_at": "2025-01-01T00:00:00Z",
        "size": 4_000_000_000,
        "digest": seeded(name).getrandbits(128).to_bytes(16, "big").hex(),
        "details": {"format": "gguf", "family": family, "parameter_size": "12B", "quantization_level": "Q4_K_M"},
    }
