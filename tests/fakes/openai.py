"""A fake OpenAI-compatible server: ``/v1/chat/completions`` (image_url data URLs, strict json_schema),
``/v1/embeddings`` and ``/v1/models``, with OpenAI's error objects and status codes (401, 400, 404)."""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.fakes.common import image_problem, seeded, unit_vector
from tests.fakes.schema_tools import generate, strict_problem, validate

ROLES = {"system", "developer", "user", "assistant", "tool"}
_NAME = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,(.*)$", re.DOTALL)


class FakeOpenAI:
    """State and behaviour; ``replies`` scripts chat answers (FIFO) before schema-generated ones."""

    def __init__(
        self,
        api_key: str = "sk-test",
        models: tuple[str, ...] = ("gpt-4o-mini", "text-embedding-3-small"),
        embed_dimensions: int = 1536,
    ) -> None:
        self.api_key = api_key
        self.models = list(models)
        self.embed_dimensions = embed_dimensions
        self.replies: list[str] = []
        self.requests: list[tuple[str, dict[str, Any]]] = []
        self.delay = 0.0
        self.app = Starlette(
            routes=[
                Route("/v1/chat/completions", self.chat, methods=["POST"]),
                Route("/v1/embeddings", self.embeddings, methods=["POST"]),
                Route("/v1/models", self.list_models, methods=["GET"]),
            ]
        )

    def chats(self) -> list[dict[str, Any]]:
        """Bodies of every chat completion request received."""
        return [body for path, body in self.requests if path == "chat"]

    def _auth(self, request: Request) -> Response | None:
        header = request.headers.get("authorization", "")
        if header != f"Bearer {self.api_key}":
            shown = header.removeprefix("Bearer ")[:8] or "none"
            message = f"Incorrect API key provided: {shown}***. You can find your API key in your account settings."
            return _error(401, message, code="invalid_api_key")
        return None

    async def _read(self, request: Request, kind: str) -> tuple[dict[str, Any], Response | None]:
        denied = self._auth(request)
        if denied:
            return {}, denied
        try:
            body = json.loads(await request.body())
        except ValueError:
            return {}, _error(400, "We could not parse the JSON body of your request.")
        if not isinstance(body, dict):
            return {}, _error(400, "The request body must be a JSON object.")
        self.requests.append((kind, body))
        await asyncio.sleep(self.delay)
        model = body.get("model")
        if not isinstance(model, str) or not model:
            return body, _error(400, "you must provide a model parameter", param="model")
        if model not in self.models:
            message = f"The model `{model}` does not exist or you do not have access to it."
            return body, _error(404, message, code="model_not_found")
        return body, None

    async def chat(self, request: Request) -> Response:
        body, error = await self._read(request, "chat")
        if error:
            return error
        problem = _messages_problem(body.get("messages")) or _format_problem(body.get("response_format"))
        if problem:
            return _error(400, problem[0], param=problem[1])
        content = self.replies.pop(0) if self.replies else _answer(body)
        return JSONResponse(_completion(body["model"], content))

    async def embeddings(self, request: Request) -> Response:
        body, error = await self._read(request, "embeddings")
        if error:
            return error
        texts = body.get("input")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) and t for t in texts):
            return _error(400, "'input' must be a non-empty string or array of non-empty strings", param="input")
        size = body.get("dimensions") or self.embed_dimensions
        if not isinstance(size, int) or size < 1:
            return _error(400, "'dimensions' must be a positive integer", param="dimensions")
        data = [{"object": "embedding", "index": i, "embedding": unit_vector(t, size)} for i, t in enumerate(texts)]
        data.reverse()  # the API does not promise input order; clients must sort by index
        usage = {
            "prompt_tokens": sum(len(t.split()) for t in texts),
            "total_tokens": sum(len(t.split()) for t in texts),
        }
        return JSONResponse({"object": "list", "data": data, "model": body["model"], "usage": usage})

    async def list_models(self, request: Request) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        data = [{"id": m, "object": "model", "created": 1_700_000_000, "owned_by": "fake"} for m in self.models]
        return JSONResponse({"object": "list", "data": data})


def _messages_problem(messages: Any) -> tuple[str, str] | None:
    if not isinstance(messages, list) or not messages:
        return "'messages' must be a non-empty array", "messages"
    for index, message in enumerate(messages):
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"Invalid value for 'messages[{index}].role'", f"messages[{index}].role"
        content = message.get("content")
        if isinstance(content, str):
            continue
        if not isinstance(content, list):
            return f"Invalid type for 'messages[{index}].content'", f"messages[{index}].content"
        for part in content:
            problem = _part_problem(part)
            if problem:
                return problem, f"messages[{index}].content"
    return None


def _part_problem(part: Any) -> str | None:
    if not isinstance(part, dict):
        return "content parts must be objects"
    if part.get("type") == "text":
        return None if isinstance(part.get("text"), str) else "text part needs 'text'"
    if part.get("type") != "image_url":
        return f"Invalid content part type: {part.get('type')!r}"
    url = (part.get("image_url") or {}).get("url") if isinstance(part.get("image_url"), dict) else None
    match = _DATA_URL.match(url or "")
    if not match:
        return "Invalid image_url: expected a data:image/...;base64 URL"
    return "Invalid image." if image_problem(match.group(2)) else None


def _format_problem(fmt: Any) -> tuple[str, str] | None:
    if fmt is None:
        return None
    if not isinstance(fmt, dict) or fmt.get("type") not in ("text", "json_object", "json_schema"):
        return "Invalid value for 'response_format.type'", "response_format.type"
    if fmt["type"] != "json_schema":
        return None
    spec = fmt.get("json_schema")
    if not isinstance(spec, dict) or not _NAME.match(str(spec.get("name", ""))):
        return "response_format.json_schema.name must match ^[a-zA-Z0-9_-]{1,64}$", "response_format.json_schema.name"
    if not isinstance(spec.get("schema"), dict):
        return "response_format.json_schema.schema must be an object", "response_format.json_schema.schema"
    if spec.get("strict"):
        problem = strict_problem(spec["schema"])
        if problem:
            return f"Invalid schema for response_format '{spec['name']}': {problem}", "response_format"
    return None


def _answer(body: dict[str, Any]) -> str:
    rng = seeded(body.get("model"), body.get("messages"), body.get("response_format"))
    fmt = body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        schema = fmt["json_schema"]["schema"]
        instance = generate(schema, rng)
        assert not validate(instance, schema)
        return json.dumps(instance)
    if fmt.get("type") == "json_object":
        return json.dumps({"answer": "ok"})
    last = body["messages"][-1].get("content")
    return f"Noted: {str(last)[:60]}"


def _completion(model: str, content: str) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{seeded(content).getrandbits(48):x}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content, "refusal": None},
                "logprobs": None,
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": len(content.split()), "total_tokens": 10},
    }


def _error(status: int, message: str, *, param: str | None = None, code: str | None = None) -> JSONResponse:
    error = {"message": message, "type": "invalid_request_error", "param": param, "code": code}
    return JSONResponse({"error": error}, status_code=status)
