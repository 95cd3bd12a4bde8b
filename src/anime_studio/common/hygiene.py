"""ASGI middleware that refuses NUL characters and hostile JSON before any handler sees a request.

PostgreSQL cannot store NUL in text, and a validator that forgot a field would turn one into a 500;
checking the decoded path, the decoded query string and every JSON body in one place covers every
operation, present and future. API requests get 422; a NUL in a web UI path names no page, so 404.
"""

from __future__ import annotations

import json
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from anime_studio.common import jsontext

NUL_IN_URL = "the URL must not contain NUL characters"


class RequestHygiene:
    def __init__(self, app: ASGIApp, *, api_prefix: str) -> None:
        self.app = app
        self.api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        is_api = path.removeprefix(scope.get("root_path", "")).startswith(self.api_prefix + "/")
        query = unquote_to_bytes(scope.get("query_string", b""))
        if jsontext.NUL in path or b"\x00" in query:
            await _refuse(send, 422 if is_api else 404, NUL_IN_URL if is_api else "no such page")
            return
        if not (is_api and _is_json(scope)):
            await self.app(scope, receive, send)
            return
        messages, body = await _read_body(receive)
        problem = _json_problem(body)
        if problem is not None:
            await _refuse(send, 422, problem)
            return
        await self.app(scope, _replay(messages, receive), send)


def _is_json(scope: Scope) -> bool:
    headers: dict[bytes, bytes] = dict(scope.get("headers") or [])
    content_type = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
    return content_type == b"application/json" or content_type.endswith(b"+json")


async def _read_body(receive: Receive) -> tuple[list[Message], bytes]:
    """The whole body (already capped by ``BodySizeLimit``, which wraps this middleware)."""
    messages: list[Message] = []
    while True:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request" or not message.get("more_body", False):
            break
    return messages, b"".join(m.get("body", b"") for m in messages if m["type"] == "http.request")


def _json_problem(body: bytes) -> str | None:
    if not body:
        return None
    try:
        document = json.loads(body)
    except RecursionError:
        return f"JSON is nested deeper than {jsontext.MAX_DEPTH} levels"
    except ValueError:
        return None  # malformed JSON: FastAPI answers it with its own 422
    try:
        jsontext.check(document)
    except jsontext.JsonRejected as error:
        return str(error)
    return None


def _replay(messages: list[Message], receive: Receive) -> Receive:
    pending = list(messages)

    async def replay() -> Message:
        return pending.pop(0) if pending else await receive()

    return replay


async def _refuse(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
