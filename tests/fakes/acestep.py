"""A fake ACE-Step 1.5 API server: ``/release_task``, ``/query_result``, ``/v1/audio``, ``/health``, ``/v1/models``.

Follows the real server: the ``{data, code, error, timestamp, extra}`` envelope, integer task status
(0 queued/running, 1 succeeded, 2 failed), ``result`` as a JSON *string* of per-take dicts whose ``file`` is
``/v1/audio?path=<url-encoded path>``, 401/403/404/415 as the real routes answer. It renders a real WAV.
"""

from __future__ import annotations

import json
import tempfile
import time
import urllib.parse
import uuid
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

FORMATS = {"mp3", "wav", "flac", "opus", "aac", "wav32"}


@dataclass
class Task:
    id: str
    body: dict[str, Any]
    created: float
    path: Path | None = None


class FakeAceStep:
    """``delay`` seconds of "generation" per task; ``fail_message`` makes every task fail with that error."""

    def __init__(self, *, api_key: str | None = None, delay: float = 0.3, fail_message: str | None = None) -> None:
        self.api_key = api_key
        self.delay = delay
        self.fail_message = fail_message
        self.sample_rate = 48_000
        self.tasks: dict[str, Task] = {}
        self.queries = 0
        self.downloads = 0
        self.output_dir = Path(tempfile.mkdtemp(prefix="fake-acestep-"))
        self.app = Starlette(
            routes=[
                Route("/release_task", self.release_task, methods=["POST"]),
                Route("/query_result", self.query_result, methods=["POST"]),
                Route("/v1/audio", self.audio, methods=["GET"]),
                Route("/health", self.health, methods=["GET"]),
                Route("/v1/models", self.models, methods=["GET"]),
            ]
        )

    def _auth(self, request: Request) -> Response | None:
        if self.api_key is None:
            return None
        header = request.headers.get("authorization")
        if not header:
            return JSONResponse({"detail": "Missing Authorization header"}, status_code=401)
        if header.removeprefix("Bearer ") != self.api_key:
            return JSONResponse({"detail": "Invalid API key"}, status_code=401)
        return None

    async def _json(self, request: Request) -> tuple[dict[str, Any], Response | None]:
        if "json" not in request.headers.get("content-type", ""):
            return {}, JSONResponse({"detail": "Unsupported Content-Type"}, status_code=415)
        try:
            body = json.loads(await request.body())
        except ValueError:
            return {}, JSONResponse({"detail": "Invalid JSON body"}, status_code=400)
        if not isinstance(body, dict):
            return {}, JSONResponse({"detail": "Invalid JSON body"}, status_code=400)
        return body, self._auth(request)

    async def release_task(self, request: Request) -> Response:
        body, error = await self._json(request)
        if error:
            return error
        problem = _validate_release(body)
        if problem:
            return JSONResponse({"detail": problem}, status_code=400)
        task = Task(id=str(uuid.uuid4()), body=body, created=time.monotonic())
        self.tasks[task.id] = task
        return _wrap({"task_id": task.id, "status": "queued", "queue_position": 1})

    async def query_result(self, request: Request) -> Response:
        body, error = await self._json(request)
        if error:
            return error
        self.queries += 1
        ids = body.get("task_id_list", "[]")
        if isinstance(ids, str):
            try:
                ids = json.loads(ids)
            except ValueError:
                ids = []
        return _wrap([self._item(str(task_id)) for task_id in ids if isinstance(ids, list)])

    def _item(self, task_id: str) -> dict[str, Any]:
        task = self.tasks.get(task_id)
        if task is None:
            return {"task_id": task_id, "result": "[]", "status": 0}
        elapsed = time.monotonic() - task.created
        if elapsed < self.delay:
            result = [_running(task, elapsed / self.delay, None, 0)]
            return {"task_id": task_id, "result": json.dumps(result), "status": 0, "progress_text": "diffusion step"}
        if self.fail_message:
            result = [_running(task, 1.0, self.fail_message, 2)]
            return {"task_id": task_id, "result": json.dumps(result), "status": 2, "progress_text": "failed"}
        if task.path is None:
            task.path = self._render(task)
        take = {
            "file": "/v1/audio?path=" + urllib.parse.quote(str(task.path), safe=""),
            "wave": "",
            "status": 1,
            "create_time": int(time.time()),
            "env": "development",
            "prompt": task.body.get("prompt", ""),
            "lyrics": task.body.get("lyrics", ""),
            "metas": {"bpm": 120, "duration": task.body.get("audio_duration"), "genres": "", "keyscale": "C Major"},
        }
        return {"task_id": task_id, "result": json.dumps([take]), "status": 1, "progress_text": "done"}

    def _render(self, task: Task) -> Path:
        """A real stereo 16-bit WAV: a seed-dependent chord, ``audio_duration`` seconds long."""
        seconds = float(task.body.get("audio_duration") or 30.0)
        seed = int(task.body.get("seed", 0)) if not task.body.get("use_random_seed", True) else 7
        t = np.arange(int(seconds * self.sample_rate)) / self.sample_rate
        base = 220.0 * (1 + (seed % 5) / 10)
        mono = sum(np.sin(2 * np.pi * base * ratio * t) for ratio in (1.0, 1.25, 1.5)) / 3 * 0.5
        stereo = np.stack([mono, mono * 0.8], axis=1)
        path = self.output_dir / f"{task.id}.wav"
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(2)
            handle.setsampwidth(2)
            handle.setframerate(self.sample_rate)
            handle.writeframes((stereo * 32767).astype("<i2").tobytes())
        return path

    async def audio(self, request: Request) -> Response:
        denied = self._auth(request)
        if denied:
            return denied
        raw = request.query_params.get("path")
        if not raw:
            return JSONResponse({"detail": [{"loc": ["query", "path"], "msg": "Field required"}]}, status_code=422)
        resolved = Path(raw).resolve()
        if not resolved.is_relative_to(self.output_dir.resolve()):
            return JSONResponse({"detail": "Access denied: path outside allowed directory"}, status_code=403)
        if not resolved.exists():
            return JSONResponse({"detail": "Audio file not found"}, status_code=404)
        self.downloads += 1
        return FileResponse(resolved, media_type="audio/wav")

    async def health(self, request: Request) -> Response:
        return _wrap({"status": "ok", "service": "ACE-Step API", "version": "1.0"})

    async def models(self, request: Request) -> Response:
        models = [{"name": "acestep-v15-turbo", "is_default": True}]
        return _wrap({"models": models, "default_model": "acestep-v15-turbo"})


def _validate_release(body: dict[str, Any]) -> str | None:
    checks: list[tuple[str, type | tuple[type, ...]]] = [
        ("prompt", str),
        ("lyrics", str),
        ("audio_format", str),
        ("use_random_seed", bool),
        ("seed", (int, str)),
        ("batch_size", int),
        ("audio_duration", (int, float)),
        ("thinking", bool),
    ]
    for key, kind in checks:
        if key in body and body[key] is not None and not isinstance(body[key], kind):
            return f"Invalid value for {key}"
    if body.get("audio_format", "mp3") not in FORMATS:
        return f"Unsupported audio_format {body.get('audio_format')!r}"
    if body.get("audio_format") != "wav":
        return "this fake renders wav only"
    duration = body.get("audio_duration")
    if duration is not None and not 10 <= float(duration) <= 600:
        return "audio_duration must be within 10-600 seconds"
    if not 1 <= int(body.get("batch_size") or 2) <= 8:
        return "batch_size must be within 1-8"
    return None


def _running(task: Task, progress: float, error: str | None, status: int) -> dict[str, Any]:
    return {
        "file": "",
        "wave": "",
        "status": status,
        "create_time": int(time.time()),
        "env": "development",
        "prompt": "",
        "lyrics": "",
        "metas": {},
        "progress": round(min(1.0, progress), 3),
        "stage": "failed" if error else "running",
        "error": error,
    }


def _wrap(data: Any) -> JSONResponse:
    return JSONResponse({"data": data, "code": 200, "error": None, "timestamp": int(time.time() * 1000), "extra": None})
