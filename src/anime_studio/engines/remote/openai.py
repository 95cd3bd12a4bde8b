"""A small client for OpenAI-compatible servers: ``/chat/completions``, ``/embeddings``, ``/models``,
``/audio/transcriptions``."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx

from anime_studio.engines.base import EngineError, EngineStatus, Kind, TransientEngineError
from anime_studio.engines.remote.http import excerpt, json_body, send

SERVICE = "OpenAI-compatible server"


class OpenAIClient:
    """Talks to one OpenAI-compatible API under ``base_url`` (``…/v1``), authenticated by a bearer key."""

    def __init__(self, base_url: str, api_key: str = "", *, timeout: float = 120.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout

    def _client(self, timeout: float | None = None) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        limit = httpx.Timeout(timeout or self.timeout, connect=min(10.0, timeout or self.timeout))
        return httpx.AsyncClient(base_url=self.base_url + "/", timeout=limit, headers=headers)

    async def chat(
        self,
        model: str,
        messages: list[dict[str, Any]],
        *,
        schema: dict[str, Any] | None = None,
        schema_name: str = "answer",
        temperature: float | None = None,
    ) -> str:
        """The assistant's reply; ``schema`` asks for strict JSON via ``response_format: json_schema``."""
        payload: dict[str, Any] = {"model": model, "messages": messages}
        if schema is not None:
            payload["response_format"] = {
                "type": "json_schema",
                "json_schema": {"name": schema_name, "schema": schema, "strict": True},
            }
        if temperature is not None:
            payload["temperature"] = temperature
        data = await self._post("chat/completions", payload, model=model)
        return _reply_text(data)

    async def embed(self, model: str, texts: list[str], *, dimensions: int | None = None) -> list[list[float]]:
        """One embedding per text, in input order (the API may answer out of order: sort by ``index``)."""
        payload: dict[str, Any] = {"model": model, "input": texts, "encoding_format": "float"}
        if dimensions:
            payload["dimensions"] = dimensions
        data = await self._post("embeddings", payload, model=model)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list) or len(items) != len(texts):
            raise EngineError(f"{SERVICE} returned {0 if not items else len(items)} embeddings for {len(texts)} texts")
        ordered = sorted(items, key=lambda item: int(item.get("index", 0)))
        return [[float(x) for x in item["embedding"]] for item in ordered]

    async def transcribe(self, model: str, audio: Path, *, language: str = "") -> str:
        """The text of ``audio`` (multipart upload, ``response_format=json``)."""
        content = await asyncio.to_thread(audio.read_bytes)
        fields = {"model": model, "response_format": "json"}
        if language:
            fields["language"] = language
        async with self._client() as client:
            response = await send(
                client,
                "POST",
                "audio/transcriptions",
                service=SERVICE,
                data=fields,
                files={"file": (audio.name, content, "application/octet-stream")},
            )
        _raise_for_status(response, model=model)
        data = json_body(response, service=SERVICE)
        text = data.get("text") if isinstance(data, dict) else None
        if not isinstance(text, str):
            raise EngineError(f"{SERVICE} answered a transcription without text: {str(data)[:200]}")
        return text

    async def models(self) -> list[str]:
        """The model ids the server offers (``GET /models``)."""
        async with self._client(timeout=15.0) as client:
            response = await send(client, "GET", "models", service=SERVICE)
        _raise_for_status(response, model="")
        data = json_body(response, service=SERVICE)
        items = data.get("data") if isinstance(data, dict) else None
        return [str(item.get("id")) for item in items or [] if isinstance(item, dict)]

    async def status(self, *, kind: Kind, name: str, model: str) -> EngineStatus:
        """Reachability and the model list; says whether ``model`` is offered."""
        try:
            models = await self.models()
        except TransientEngineError as error:
            return EngineStatus(kind=kind, name=name, reachable=False, detail=str(error))
        except EngineError as error:  # it answered, but refused (bad key, no /models): reachable, not usable
            return EngineStatus(kind=kind, name=name, reachable=True, detail=str(error))
        present = model in models
        detail = f"model {model} available" if present else f"model {model} is not offered by {self.base_url}"
        extra = {"url": self.base_url, "model": model, "model_available": present}
        return EngineStatus(kind=kind, name=name, reachable=True, detail=detail, models=models, extra=extra)

    async def _post(self, path: str, payload: dict[str, Any], *, model: str) -> Any:
        async with self._client() as client:
            response = await send(client, "POST", path, json=payload, service=SERVICE)
        _raise_for_status(response, model=model)
        return json_body(response, service=SERVICE)


def _raise_for_status(response: httpx.Response, *, model: str) -> None:
    if response.status_code == 200:
        return
    message = _error_message(response)
    if response.status_code == 401:
        raise EngineError(f"{SERVICE} rejected the API key (401): {message}; set ANIME_STUDIO_OPENAI_API_KEY")
    if response.status_code == 404:
        raise EngineError(f"{SERVICE} does not know model '{model}' or the endpoint (404): {message}")
    raise EngineError(f"{SERVICE} rejected the request (HTTP {response.status_code}): {message}")


def _error_message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return excerpt(response)
    error = data.get("error") if isinstance(data, dict) else None
    if isinstance(error, dict) and error.get("message"):
        return str(error["message"])
    return excerpt(response)


def _reply_text(data: Any) -> str:
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices:
        raise EngineError(f"{SERVICE} answered without choices: {str(data)[:200]}")
    message = choices[0].get("message") or {}
    if message.get("refusal"):
        raise EngineError(f"the model refused: {message['refusal']}")
    content = message.get("content")
    if not isinstance(content, str):
        raise EngineError(f"{SERVICE} answered without text content")
    return content
