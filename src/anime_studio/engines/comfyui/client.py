"""Async client for one ComfyUI server: its HTTP API plus the shared websocket (``events``).

The primitives (``submit``, ``upload_image``, ``wait_started``, ``wait``, ``view``, ``queue``, ``history``)
are public on purpose: the render pool uses them, and so can a job queue that drives backends itself.
Connection failures raise ``BackendUnavailable`` (``BackendTimedOut`` when it does not answer in time); validation
errors raise ``WorkflowRejected`` (``MissingModel`` when only model files are missing). ``waiting`` depends on
this module's interface, never the other way round.
"""

from __future__ import annotations

import asyncio
import mimetypes
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx

from anime_studio.engines.base import EngineError, Progress
from anime_studio.engines.comfyui import waiting
from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.errors import BackendTimedOut, BackendUnavailable, rejection
from anime_studio.engines.comfyui.events import ComfyEvent, EventHub
from anime_studio.engines.comfyui.queue_state import QueueItem, QueueState

Workflow = dict[str, Any]

__all__ = ["ComfyClient", "QueueItem", "QueueState", "Workflow"]


class ComfyClient:
    """HTTP + websocket access to one ComfyUI server (``url`` like ``http://gpu1:8188``)."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 1800.0,
        request_timeout: float = 30.0,
        poll_interval: float = 2.0,
        unreachable_grace: float = 10.0,
        client_id: str | None = None,
    ) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.poll_interval = poll_interval
        self.unreachable_grace = unreachable_grace
        self.client_id = client_id or f"anime-studio-{uuid.uuid4().hex}"
        self._timeouts = httpx.Timeout(request_timeout, connect=min(5.0, request_timeout))
        self._http: httpx.AsyncClient | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self.hub = EventHub(_ws_url(self.url, self.client_id))
        self._schemas: NodeSchemas | None = None
        self._schemas_at = 0.0
        self._schemas_lock = asyncio.Lock()
        self._graphs: dict[str, dict[str, str]] = {}

    def ensure_loop(self) -> httpx.AsyncClient:
        """Connections, locks and the socket belong to one event loop; another loop starts them afresh."""
        loop = asyncio.get_running_loop()
        if self._http is None or self._loop is not loop:
            self._loop = loop
            self._http = httpx.AsyncClient(base_url=self.url, timeout=self._timeouts)
            self._schemas_lock = asyncio.Lock()
            self.hub.rebind()
        return self._http

    async def aclose(self) -> None:
        """Close the websocket and the HTTP connections."""
        if self._http is not None and self._loop is asyncio.get_running_loop():
            await self.hub.close()
            await self._http.aclose()
        self._http = None

    async def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = await self.ensure_loop().request(method, path, **kwargs)
        except httpx.TimeoutException as error:
            limit = kwargs.get("timeout") or self._timeouts
            seconds = limit.read if isinstance(limit, httpx.Timeout) else limit
            raise BackendTimedOut(self.url, f"no answer to {method} {path} within {seconds:g} s") from error
        except httpx.HTTPError as error:
            raise BackendUnavailable(self.url, f"{type(error).__name__}: {error}".rstrip(": ")) from error
        if response.status_code >= 500:
            raise BackendUnavailable(self.url, f"HTTP {response.status_code} from {path}")
        return response

    async def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = await self._request(method, path, **kwargs)
        if response.status_code != 200:
            raise EngineError(f"ComfyUI at {self.url} answered {response.status_code} to {method} {path}")
        try:
            return response.json()
        except ValueError as error:
            raise BackendUnavailable(self.url, f"{path} did not return JSON") from error

    async def submit(self, workflow: Workflow, *, prompt_id: str | None = None) -> str:
        """Queue an API-format workflow under our ``client_id``; returns ComfyUI's prompt id."""
        self.ensure_loop()
        await self.hub.warm()  # like ComfyUI's own frontend: listen first, then queue
        body: dict[str, Any] = {"prompt": workflow, "client_id": self.client_id}
        if prompt_id:
            body["prompt_id"] = prompt_id  # honoured by current ComfyUI; older versions pick their own
        response = await self._request("POST", "/prompt", json=body)
        data = _json_or_none(response)
        if response.status_code == 400 and isinstance(data, dict):
            raise rejection(data.get("error"), data.get("node_errors"), url=self.url)
        if response.status_code != 200 or not isinstance(data, dict) or "prompt_id" not in data:
            raise EngineError(f"ComfyUI at {self.url} did not queue the workflow (HTTP {response.status_code})")
        queued = str(data["prompt_id"])
        self._graphs[queued] = {
            str(k): str(v.get("class_type", "?")) for k, v in workflow.items() if isinstance(v, dict)
        }
        return queued

    async def history(self, prompt_id: str) -> dict[str, Any] | None:
        """The history entry of a finished prompt, or None if the server does not know it (yet)."""
        data = await self._json("GET", f"/history/{prompt_id}")
        entry = data.get(prompt_id) if isinstance(data, dict) else None
        return entry if isinstance(entry, dict) else None

    async def view(self, filename: str, subfolder: str = "", type: str = "output") -> bytes:
        """Download an output (or input/temp) file."""
        params = {"filename": filename, "subfolder": subfolder, "type": type}
        response = await self._request("GET", "/view", params=params)
        if response.status_code != 200:
            where = f"{subfolder}/{filename}" if subfolder else filename
            raise EngineError(f"ComfyUI at {self.url} has no {type} file {where} (HTTP {response.status_code})")
        return response.content

    async def upload_image(self, path: Path, name: str, *, overwrite: bool = True, subfolder: str = "") -> str:
        """Upload a file to ComfyUI's ``input/`` folder (or a subfolder); returns the name LoadImage must use.

        ComfyUI stores any file sent here, so training datasets send their ``.txt`` captions this way too.
        """
        content = await asyncio.to_thread(path.read_bytes)
        mime = mimetypes.guess_type(name)[0] or "application/octet-stream"
        data = {"overwrite": "true" if overwrite else "false", "type": "input"}
        if subfolder:
            data["subfolder"] = subfolder
        response = await self._request("POST", "/upload/image", files={"image": (name, content, mime)}, data=data)
        body = _json_or_none(response)
        if response.status_code != 200 or not isinstance(body, dict) or "name" not in body:
            raise EngineError(f"ComfyUI at {self.url} refused the upload of {name} (HTTP {response.status_code})")
        subfolder = str(body.get("subfolder") or "")
        return f"{subfolder}/{body['name']}" if subfolder else str(body["name"])

    async def queue(self, *, timeout: float | None = None) -> QueueState:
        """The running and pending prompts (``timeout``: seconds, for a quick probe instead of the default)."""
        data = await self._json("GET", "/queue", **_limit(timeout))
        items = {
            key: tuple(filter(None, map(QueueItem.parse, data.get(key) or [])))
            for key in ("queue_running", "queue_pending")
        }
        return QueueState(running=items["queue_running"], pending=items["queue_pending"])

    async def interrupt(self, prompt_id: str | None = None) -> None:
        """Stop the running prompt (only if it is ``prompt_id``, when given)."""
        await self._request("POST", "/interrupt", json={"prompt_id": prompt_id} if prompt_id else {})

    async def delete_queued(self, prompt_ids: list[str]) -> None:
        """Remove pending prompts from the queue (running ones need ``interrupt``)."""
        await self._request("POST", "/queue", json={"delete": prompt_ids})

    async def object_info(self, *, refresh: bool = False, max_age: float | None = None) -> NodeSchemas:
        """The node classes and the files they list (cached; ``refresh`` or ``max_age`` seconds re-read it)."""
        asked = time.monotonic()
        self.ensure_loop()
        async with self._schemas_lock:  # concurrent callers share one fetch of this large document
            age = time.monotonic() - self._schemas_at
            fresh = self._schemas is not None and self._schemas_at >= asked
            if not fresh and (self._schemas is None or refresh or (max_age is not None and age > max_age)):
                data = await self._json("GET", "/object_info")
                self._schemas = NodeSchemas(data if isinstance(data, dict) else {})
                self._schemas_at = time.monotonic()
            assert self._schemas is not None
            return self._schemas

    async def system_stats(self, *, timeout: float | None = None) -> dict[str, Any]:
        """OS, versions and devices (name, vram_total, vram_free)."""
        data = await self._json("GET", "/system_stats", **_limit(timeout))
        return data if isinstance(data, dict) else {}

    async def events(self) -> AsyncIterator[ComfyEvent]:
        """Every websocket event of this client (plus ``_connected``/``_disconnected`` markers)."""
        self.ensure_loop()
        async with self.hub.subscribe(None) as subscription:
            while True:
                event = await subscription.get()
                if event is not None:
                    yield event

    async def wait(
        self, prompt_id: str, progress: Progress | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        """Follow a prompt to its end and return its history entry (raises on error, loss or timeout)."""
        return await waiting.wait(self, prompt_id, progress, timeout=timeout or self.timeout)

    async def wait_started(self, prompt_id: str, *, timeout: float | None = None) -> None:
        """Return once the prompt has left the pending queue (it is executing, or already done)."""
        await waiting.wait_started(self, prompt_id, timeout=timeout or self.timeout)

    def node_types(self, prompt_id: str, *, forget: bool = False) -> dict[str, str]:
        """Node id → class type of a prompt this client submitted (for progress messages)."""
        return (self._graphs.pop if forget else self._graphs.get)(prompt_id, {})


def _ws_url(url: str, client_id: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{'wss' if scheme == 'https' else 'ws'}://{rest}/ws?clientId={client_id}"


def _limit(timeout: float | None) -> dict[str, Any]:
    return {} if timeout is None else {"timeout": httpx.Timeout(timeout)}


def _json_or_none(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
