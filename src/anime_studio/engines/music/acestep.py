"""Music from an ACE-Step 1.5 API server: submit, poll, download, then fit to the exact scene length."""

from __future__ import annotations

import asyncio
import json
import math
import time
from pathlib import Path
from typing import Any

import httpx

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, EngineStatus, Progress, TransientEngineError, no_progress
from anime_studio.engines.music.base import MusicRequest, MusicResult
from anime_studio.engines.music.captions import music_caption
from anime_studio.engines.music.checks import make_folder, validate
from anime_studio.engines.music.fit import fit_audio
from anime_studio.engines.remote.http import excerpt, json_body, send

SERVICE = "ACE-Step"
MIN_SECONDS, MAX_SECONDS = 10.0, 600.0
"""The server's accepted ``audio_duration`` range; shorter scenes are trimmed, longer ones looped."""
QUEUED, SUCCEEDED, FAILED = 0, 1, 2


class AceStepMusic:
    """``POST /release_task`` → ``POST /query_result`` until done → ``GET /v1/audio?path=…`` → ffmpeg fit."""

    name = "acestep"

    def __init__(self, settings: Settings) -> None:
        self.base_url = settings.acestep_url.rstrip("/")
        self.model = settings.acestep_model
        self.api_key = settings.acestep_api_key
        self.timeout = settings.acestep_timeout
        self.poll_interval = settings.acestep_poll_interval

    def _client(self, timeout: float = 60.0) -> httpx.AsyncClient:
        headers = {"Authorization": f"Bearer {self.api_key}"} if self.api_key else {}
        return httpx.AsyncClient(base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=10.0), headers=headers)

    async def compose(self, request: MusicRequest, *, progress: Progress | None = None) -> MusicResult:
        """Generate, download and normalise one instrumental track for ``request``."""
        report = progress or no_progress
        validate(request)
        make_folder(request)
        payload = self.task_payload(request)
        async with self._client() as client:
            task_id = await self._submit(client, payload)
            await report(0.02, "queued on ACE-Step")
            audio_url = await self._wait(client, task_id, report)
            raw = request.output_path.with_name(f".{request.output_path.stem}.acestep-{task_id[:8]}.wav")
            try:
                await self._download(client, audio_url, raw)
                await report(0.9, "fitting to scene length")
                await fit_audio(raw, request.output_path, request.duration, request.fade_in, request.fade_out)
            finally:
                raw.unlink(missing_ok=True)
        await report(1.0, "music ready")
        parameters = {"caption": payload["prompt"], "task_id": task_id, "seed": request.seed, "mood": request.mood}
        return MusicResult(path=request.output_path, duration=request.duration, engine=self.name, parameters=parameters)

    def task_payload(self, request: MusicRequest) -> dict[str, Any]:
        """The ``/release_task`` body: caption, instrumental lyrics marker, fixed seed, WAV, one take."""
        seconds = min(MAX_SECONDS, max(MIN_SECONDS, math.ceil(request.duration)))
        return {
            "prompt": music_caption(request.mood, request.prompt),
            # ACE-Step's own instrumental marker; the API has no separate flag
            "lyrics": request.lyrics.strip() or "[Instrumental]",
            "audio_duration": float(seconds),
            "audio_format": "wav",
            "batch_size": 1,
            "use_random_seed": False,
            "seed": int(request.seed),
            "thinking": False,
            "inference_steps": 8,
            "task_type": "text2music",
        }

    async def _submit(self, client: httpx.AsyncClient, payload: dict[str, Any]) -> str:
        response = await send(client, "POST", "/release_task", json=payload, service=SERVICE)
        data = self._unwrap(response, "/release_task")
        task_id = data.get("task_id") if isinstance(data, dict) else None
        if not task_id:
            raise EngineError(f"{SERVICE} accepted the task but returned no task_id: {str(data)[:200]}")
        return str(task_id)

    async def _wait(self, client: httpx.AsyncClient, task_id: str, report: Progress) -> str:
        """Poll until the task succeeds (→ audio URL) or fails (→ ``EngineError`` with the server's reason)."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            item = await self._query(client, task_id)
            status, results = int(item.get("status", QUEUED)), _results(item.get("result"))
            if status == SUCCEEDED:
                return _audio_url(results)
            if status == FAILED:
                raise EngineError(f"{SERVICE} task failed: {_failure(item, results)}")
            fraction = _progress(results)
            await report(0.05 + 0.8 * fraction, str(item.get("progress_text") or "generating music"))
            await asyncio.sleep(self.poll_interval)
        raise TransientEngineError(f"{SERVICE} task {task_id} did not finish within {self.timeout:.0f} s")

    async def _query(self, client: httpx.AsyncClient, task_id: str) -> dict[str, Any]:
        response = await send(client, "POST", "/query_result", json={"task_id_list": [task_id]}, service=SERVICE)
        data = self._unwrap(response, "/query_result")
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and item.get("task_id") == task_id:
                return item
        raise EngineError(f"{SERVICE} /query_result did not report task {task_id}")

    async def _download(self, client: httpx.AsyncClient, url: str, target: Path) -> None:
        async with client.stream("GET", url) as response:
            if response.status_code != 200:
                await response.aread()
                raise EngineError(f"{SERVICE} audio download failed (HTTP {response.status_code}): {excerpt(response)}")
            with target.open("wb") as handle:
                async for chunk in response.aiter_bytes(1 << 16):
                    handle.write(chunk)

    def _unwrap(self, response: httpx.Response, path: str) -> Any:
        """``data`` of the server's ``{data, code, error}`` envelope; HTTP and envelope errors as ``EngineError``."""
        if response.status_code == 401:
            raise EngineError(f"{SERVICE} rejected the API key (401): set ANIME_STUDIO_ACESTEP_API_KEY")
        if response.status_code != 200:
            raise EngineError(f"{SERVICE} {path} failed (HTTP {response.status_code}): {excerpt(response)}")
        body = json_body(response, service=SERVICE)
        if not isinstance(body, dict) or "data" not in body:
            raise EngineError(f"{SERVICE} {path} answered without a data envelope: {excerpt(response)}")
        if body.get("error") or body.get("code", 200) != 200:
            raise EngineError(f"{SERVICE} {path} error: {body.get('error') or body.get('code')}")
        return body["data"]

    async def status(self) -> EngineStatus:
        """``/health`` reachable, and the DiT models the server has loaded (``/v1/models``)."""
        try:
            async with self._client(timeout=10.0) as client:
                health = self._unwrap(await send(client, "GET", "/health", service=SERVICE), "/health")
                models = self._unwrap(await send(client, "GET", "/v1/models", service=SERVICE), "/v1/models")
        except EngineError as error:
            return EngineStatus(kind="music", name=self.name, reachable=False, detail=str(error))
        names = [str(m.get("name")) for m in (models or {}).get("models", []) if isinstance(m, dict)]
        detail = f"{health.get('service', SERVICE)} {health.get('version', '')}".strip()
        extra = {"url": self.base_url, "default_model": (models or {}).get("default_model")}
        return EngineStatus(kind="music", name=self.name, reachable=True, detail=detail, models=names, extra=extra)


def _results(raw: Any) -> list[dict[str, Any]]:
    """The ``result`` field is a JSON *string* holding a list of per-take dicts."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw) if raw.strip() else []
        except ValueError:
            return []
    if isinstance(raw, dict):
        raw = [raw]
    return [item for item in raw if isinstance(item, dict)] if isinstance(raw, list) else []


def _audio_url(results: list[dict[str, Any]]) -> str:
    for item in results:
        if item.get("file"):
            return str(item["file"])
    raise EngineError(f"{SERVICE} reported success but no audio file")


def _failure(item: dict[str, Any], results: list[dict[str, Any]]) -> str:
    for result in results:
        if result.get("error"):
            return str(result["error"])
    return str(item.get("progress_text") or "no reason given")


def _progress(results: list[dict[str, Any]]) -> float:
    values = [float(r["progress"]) for r in results if isinstance(r.get("progress"), int | float)]
    return max(0.0, min(1.0, max(values))) if values else 0.0
