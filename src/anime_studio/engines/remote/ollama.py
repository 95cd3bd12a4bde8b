"""A small client for the Ollama REST API: ``/api/chat``, ``/api/embed``, ``/api/tags``, ``/api/ps``."""

from __future__ import annotations

from typing import Any

import httpx

from anime_studio.engines.base import EngineError, EngineStatus, Kind, TransientEngineError
from anime_studio.engines.remote.http import excerpt, json_body, send

SERVICE = "Ollama"


class OllamaClient:
    """Talks to one Ollama server; every call is non-streaming and returns plain Python values."""

    def __init__(self, base_url: str, *, timeout: float = 180.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def _client(self, timeout: float | None = None) -> httpx.AsyncClient:
        limit = httpx.Timeout(timeout or self.timeout, connect=min(10.0, timeout or self.timeout))
        return httpx.AsyncClient(base_url=self.base_url, timeout=limit)

    async def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        schema: dict[str, Any] | None = None,
        options: dict[str, Any] | None = None,
    ) -> str:
        """The assistant's reply text; ``schema`` constrains it to JSON of that shape (``format``)."""
        payload: dict[str, Any] = {"model": model, "messages": messages, "stream": False}
        if schema is not None:
            payload["format"] = schema
        if options:
            payload["options"] = options
        data = await self._post("/api/chat", payload, model=model)
        message = data.get("message") if isinstance(data, dict) else None
        if not isinstance(message, dict) or not isinstance(message.get("content"), str):
            raise EngineError(f"{SERVICE} /api/chat answered without a message: {str(data)[:200]}")
        content: str = message["content"]
        return content

    async def embed(self, model: str, texts: list[str], *, dimensions: int | None = None) -> list[list[float]]:
        """One embedding per text, in order."""
        payload: dict[str, Any] = {"model": model, "input": texts}
        if dimensions:
            payload["dimensions"] = dimensions
        data = await self._post("/api/embed", payload, model=model)
        vectors = data.get("embeddings") if isinstance(data, dict) else None
        if not isinstance(vectors, list) or len(vectors) != len(texts):
            raise EngineError(
                f"{SERVICE} /api/embed returned {0 if not vectors else len(vectors)} vectors for {len(texts)} texts"
            )
        return [[float(x) for x in vector] for vector in vectors]

    async def installed(self) -> list[str]:
        """Names of the models pulled on the server (``/api/tags``)."""
        return await self._names("/api/tags")

    async def loaded(self) -> list[str]:
        """Names of the models currently in memory (``/api/ps``)."""
        return await self._names("/api/ps")

    async def status(self, *, kind: Kind, name: str, model: str) -> EngineStatus:
        """Reachability, installed models and whether ``model`` is pulled and loaded."""
        try:
            installed, loaded = await self.installed(), await self.loaded()
        except EngineError as error:
            return EngineStatus(kind=kind, name=name, reachable=False, detail=str(error))
        present = has_model(installed, model)
        detail = f"model {model} ready" if present else f"model {model} is not pulled: run `ollama pull {model}`"
        extra = {"url": self.base_url, "model": model, "model_installed": present, "loaded": loaded}
        return EngineStatus(kind=kind, name=name, reachable=True, detail=detail, models=installed, extra=extra)

    async def _names(self, path: str) -> list[str]:
        async with self._client(timeout=15.0) as client:
            response = await send(client, "GET", path, service=SERVICE)
        if response.status_code != 200:
            raise EngineError(f"{SERVICE} {path} failed (HTTP {response.status_code}): {excerpt(response)}")
        data = json_body(response, service=SERVICE)
        models = data.get("models") if isinstance(data, dict) else None
        return [str(m.get("name") or m.get("model")) for m in models or [] if isinstance(m, dict)]

    async def _post(self, path: str, payload: dict[str, Any], *, model: str) -> Any:
        async with self._client() as client:
            response = await send(client, "POST", path, json=payload, service=SERVICE)
        if response.status_code == 404:
            raise EngineError(
                f"{SERVICE} has no model '{model}' ({_error_text(response)}): run `ollama pull {model}` on the server"
            )
        if response.status_code != 200:
            raise EngineError(
                f"{SERVICE} {path} rejected the request (HTTP {response.status_code}): {_error_text(response)}"
            )
        data = json_body(response, service=SERVICE)
        if isinstance(data, dict) and data.get("error"):
            raise TransientEngineError(f"{SERVICE} {path} failed: {data['error']}")
        return data


def has_model(installed: list[str], model: str) -> bool:
    """Whether ``model`` is among ``installed`` (a bare name means its ``:latest`` tag)."""
    wanted = model if ":" in model else f"{model}:latest"
    return any(name in (model, wanted) for name in installed)


def _error_text(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return excerpt(response)
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return str(data["error"])
    return excerpt(response)
