"""One HTTP call to a remote engine, with network failures mapped to engine errors."""

from __future__ import annotations

from typing import Any

import httpx

from anime_studio.engines.base import EngineError, TransientEngineError


async def send(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    service: str,
    json: Any = None,
    params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
    files: dict[str, tuple[str, bytes, str]] | None = None,
) -> httpx.Response:
    """Send a request; timeouts and connection failures become ``TransientEngineError``, 5xx/429 too."""
    try:
        response = await client.request(method, url, json=json, params=params, headers=headers, data=data, files=files)
    except httpx.TimeoutException as error:
        raise TransientEngineError(f"{service} did not answer in time ({type(error).__name__})") from error
    except httpx.TransportError as error:
        raise TransientEngineError(f"{service} is unreachable at {client.base_url}: {error}") from error
    if response.status_code == 429 or response.status_code >= 500:
        raise TransientEngineError(f"{service} is busy or failing (HTTP {response.status_code}): {excerpt(response)}")
    return response


def excerpt(response: httpx.Response, limit: int = 300) -> str:
    """A short, single-line view of an error body for messages."""
    text = " ".join(response.text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def json_body(response: httpx.Response, *, service: str) -> Any:
    """The decoded JSON body; a non-JSON answer is a protocol error (the URL likely points elsewhere)."""
    try:
        return response.json()
    except ValueError as error:
        raise EngineError(f"{service} answered with something that is not JSON: {excerpt(response)}") from error
