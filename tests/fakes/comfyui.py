"""A fake ComfyUI server that behaves like the real one on the wire (see ``comfyui_data/README.md``).

- ``/object_info`` is the captured schema set (main capture + FramePack + torchaudio supplements), with
  loader file lists filled from ``models`` (real ComfyUI lists the files on disk) and LoadImage from
  ``input/``; ``without`` removes node classes to emulate a backend that lacks a node pack.
- ``POST /prompt`` validates like ``execution.validate_prompt`` (``comfyui_validation``), answering with
  the probes' status codes and bodies, then queues the prompt; one worker runs prompts one at a time,
  each taking ``duration`` seconds, sending the websocket sequence of probe d2 to the submitting client
  (status, execution_start, execution_cached, progress_state, executing per node, progress for
  samplers, executed, execution_success or execution_error, status, executing null) and writing real
  outputs (``comfyui_media``) and a ``/history`` entry shaped like probe d4.
- ``/queue`` (GET and POST delete/clear), ``/interrupt``, ``/upload/image``, ``/view`` (404 as probe e3),
  ``/system_stats`` (captured, with an optional device override), ``/history`` (GET and POST).
- Failure injection: ``fail_next(node_type=…)`` makes the next prompt that reaches such a node fail
  with an ``execution_error``; ``oom_above(pixels)`` makes samplers fail like a GPU without enough VRAM
  (torch's ``OutOfMemoryError`` with ComfyUI's tips appended, as ``execution.py`` reports it) whenever the
  latent is larger; ``stall_next()`` makes the next prompt hang in its sampler until interrupted;
  ``freeze()`` makes every HTTP request hang (the process is alive but stuck) until ``thaw()``;
  ``uninstall`` removes model files (validation then rejects prompts naming them); stopping the
  ``LiveServer`` mid-prompt is a crash, and the next start is a fresh process: queue and history are
  empty again, files on disk remain.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import heapq
import json
import mimetypes
import threading
import time
import uuid
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from anime_studio.engines.comfyui.catalog import MODEL_FOLDERS
from tests.fakes import comfyui_training as training
from tests.fakes.comfyui_execution import Failure, Life, work
from tests.fakes.comfyui_validation import Validator

DATA = Path(__file__).parent / "comfyui_data"
SAMPLER_NODES = frozenset(
    {"KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced", "FramePackSampler"}
)
IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"})


@cache
def captured_schemas() -> dict[str, Any]:
    """object_info.json plus the FramePack and torchaudio supplements."""
    schemas: dict[str, Any] = json.loads((DATA / "object_info.json").read_text())
    for supplement in ("object_info_supplement_framepack.json", "object_info_supplement_torchaudio_noext.json"):
        schemas.update(json.loads((DATA / supplement).read_text()))
    return schemas


def probe(name: str) -> dict[str, Any]:
    """A captured request/response pair from ``comfyui_data/probes``."""
    data: dict[str, Any] = json.loads((DATA / "probes" / f"{name}.json").read_text())
    return data


class JSON(Response):
    media_type = "application/json; charset=utf-8"  # aiohttp's json_response content type

    def render(self, content: Any) -> bytes:
        return json.dumps(content).encode()


class FakeComfyUI:
    """The fake server; serve ``.app`` with ``tests.fakes.live.LiveServer``."""

    def __init__(
        self,
        root: Path,
        *,
        models: dict[str, Iterable[str]] | None = None,
        duration: float = 0.05,
        without: Iterable[str] = (),
        strict_steps: bool = False,
        device: dict[str, Any] | None = None,
        websocket: bool = True,
        list_trained_loras: bool = True,
    ) -> None:
        self.root = root
        self.input_dir, self.output_dir, self.temp_dir = root / "input", root / "output", root / "temp"
        for folder in (self.input_dir, self.output_dir, self.temp_dir):
            folder.mkdir(parents=True, exist_ok=True)
        Image.new("RGB", (64, 64), (200, 120, 80)).save(self.input_dir / "example.png")
        self.models = {folder: sorted(names) for folder, names in (models or {}).items()}
        self.duration = duration
        self.strict_steps = strict_steps
        self.device = device
        self.websocket_enabled = websocket
        self.list_trained_loras = list_trained_loras
        """Whether ``TrainLoraNode.existing_lora`` lists ``output/loras`` (an ``extra_model_paths.yaml`` entry)."""
        self.max_pending = 0
        self.schemas = {k: v for k, v in captured_schemas().items() if k not in set(without)}
        self.failures: list[Failure] = []
        self.completed: list[str] = []
        self.started: list[str] = []
        self._filled: tuple[str, dict[str, Any]] | None = None
        self.busy: list[tuple[float, float]] = []
        """(start, end) of every prompt executed, in ``time.monotonic()`` seconds."""
        self.uploads = 0
        self.max_running = 0
        self._life: Life | None = None
        self.oom_pixels: int | None = None
        self.stalls = 0
        self.thawed = threading.Event()
        self.thawed.set()
        self.app = _Freezable(Starlette(routes=self._routes()), self.thawed)

    # ---- test controls -------------------------------------------------------------------------

    def fail_next(
        self, *, node_type: str | None = None, message: str = "boom", exception_type: str = "RuntimeError"
    ) -> None:
        """The next prompt that executes a node of ``node_type`` (any node when None) fails there."""
        self.failures.append(Failure(node_type, message, exception_type))

    def oom_above(self, pixels: int | None) -> None:
        """Samplers of prompts whose latent has more than ``pixels`` pixels run out of memory (None: never)."""
        self.oom_pixels = pixels

    def stall_next(self) -> None:
        """The next prompt hangs in its first sampler until it is interrupted (a wedged GPU)."""
        self.stalls += 1

    def freeze(self) -> None:
        """Every HTTP request hangs without an answer (connections are still accepted) until ``thaw``."""
        self.thawed.clear()

    def thaw(self) -> None:
        self.thawed.set()

    def uninstall(self, folder: str, *names: str) -> None:
        """Delete model files from ``models/<folder>`` (gone from ``/object_info`` at once)."""
        self.models[folder] = [name for name in self.models.get(folder, []) if name not in names]

    def drop_websockets(self) -> None:
        """Close every client socket from the server side (a network blip); callable from any thread."""
        life = self._life
        if life is not None:
            asyncio.run_coroutine_threadsafe(self._close_sockets(life), life.loop).result(timeout=5)

    async def _close_sockets(self, life: Life) -> None:
        for socket in list(life.sockets.values()):
            with contextlib.suppress(Exception):
                await socket.close()
        life.sockets.clear()

    def install(self, folder: str, *names: str) -> None:
        """Put model files into ``models/<folder>`` (they show up in ``/object_info`` at once)."""
        self.models[folder] = sorted({*self.models.get(folder, []), *names})

    def filled_schemas(self) -> dict[str, Any]:
        """The schemas with file lists as a real server on this disk would list them (do not mutate).

        Cached per disk state: copying the 642 schemas for every ``POST /prompt`` cost the fake more CPU
        than the studio spends per prompt, which skewed the throughput benchmark (the fakes share its process).
        """
        images = sorted(p.name for p in self.input_dir.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        folders = sorted(str(p) for p in self.input_dir.rglob("*") if p.is_dir())
        trained = sorted(str(p) for p in (self.output_dir / "loras").rglob("*.safetensors"))
        key = json.dumps([self.models, images, folders, trained, self.list_trained_loras], sort_keys=True)
        if self._filled is None or self._filled[0] != key:
            self._filled = (key, self._fill(images))
        return self._filled[1]

    def _fill(self, images: list[str]) -> dict[str, Any]:
        schemas = copy.deepcopy(self.schemas)
        for (class_type, name), folder in MODEL_FOLDERS.items():
            config = schemas.get(class_type, {}).get("input", {}).get("required", {}).get(name)
            if config is not None:
                files = list(self.models.get(folder, []))
                _set_options(config, [*files, "pixel_space"] if class_type == "VAELoader" else files)
        for class_type in ("LoadImage", "LoadImageMask"):
            if class_type in schemas:
                _set_options(schemas[class_type]["input"]["required"]["image"], images)
        training.fill(
            schemas,
            self.input_dir,
            self.output_dir,
            list(self.models.get("loras", [])),
            list_trained=self.list_trained_loras,
        )
        return schemas

    # ---- process life --------------------------------------------------------------------------

    def life(self) -> Life:
        """The state of the current server process (a new event loop means the server restarted)."""
        loop = asyncio.get_running_loop()
        if self._life is None or self._life.loop is not loop:
            self._life = Life(loop=loop)
            self._life.worker = loop.create_task(work(self, self._life))
        return self._life

    async def send(self, event: str, data: Any, sid: str | None = None) -> None:
        """Like ``PromptServer.send_sync``: to one client id, or to everyone when ``sid`` is None."""
        life = self.life()
        targets = list(life.sockets.values()) if sid is None else [life.sockets[sid]] if sid in life.sockets else []
        for socket in targets:
            try:
                await socket.send_text(json.dumps({"type": event, "data": data}))
            except Exception:  # a socket that is going away; ComfyUI logs and carries on
                continue

    async def queue_updated(self) -> None:
        life = self.life()
        await self.send("status", {"status": {"exec_info": {"queue_remaining": len(life.queue) + len(life.running)}}})

    # ---- routes --------------------------------------------------------------------------------

    def _routes(self) -> list[Any]:
        routes = [
            ("/prompt", self.post_prompt, ["POST"]),
            ("/prompt", self.get_prompt, ["GET"]),
            ("/queue", self.get_queue, ["GET"]),
            ("/queue", self.post_queue, ["POST"]),
            ("/history", self.get_history, ["GET"]),
            ("/history", self.post_history, ["POST"]),
            ("/history/{prompt_id}", self.get_history_one, ["GET"]),
            ("/interrupt", self.post_interrupt, ["POST"]),
            ("/object_info", self.get_object_info, ["GET"]),
            ("/object_info/{node_class}", self.get_object_info_one, ["GET"]),
            ("/system_stats", self.get_system_stats, ["GET"]),
            ("/upload/image", self.post_upload, ["POST"]),
            ("/view", self.get_view, ["GET"]),
        ]
        http = [
            Route(prefix + path, handler, methods=methods)
            for prefix in ("", "/api")
            for path, handler, methods in routes
        ]
        return [*http, WebSocketRoute("/ws", self.websocket), WebSocketRoute("/api/ws", self.websocket)]

    async def websocket(self, socket: WebSocket) -> None:
        life = self.life()
        if not self.websocket_enabled:
            await socket.close()
            return
        await socket.accept()
        sid = socket.query_params.get("clientId") or uuid.uuid4().hex
        life.sockets[sid] = socket  # reusing a client id replaces the old socket, as in ComfyUI
        try:
            queue_info = {"exec_info": {"queue_remaining": len(life.queue) + len(life.running)}}
            await socket.send_text(json.dumps({"type": "status", "data": {"status": queue_info, "sid": sid}}))
            if life.client_id == sid and life.last_node is not None:
                await socket.send_text(json.dumps({"type": "executing", "data": {"node": life.last_node}}))
            while True:
                await socket.receive_text()
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            if life.sockets.get(sid) is socket:
                del life.sockets[sid]

    async def post_prompt(self, request: Request) -> Response:
        life = self.life()
        try:
            body = await request.json()
        except ValueError:
            return Response("500 Internal Server Error", status_code=500, media_type="text/plain")
        if "number" in body:
            number: float = float(body["number"])
        else:
            number = -life.number if body.get("front") else life.number
            life.number += 1
        if "prompt" not in body:
            error = {
                "type": "no_prompt",
                "message": "No prompt provided",
                "details": "No prompt provided",
                "extra_info": {},
            }
            return JSON({"error": error, "node_errors": {}}, status_code=400)
        prompt = body["prompt"]
        prompt_id = str(body.get("prompt_id", uuid.uuid4()))
        validator = Validator(self.filled_schemas(), input_exists=self._input_exists, strict_steps=self.strict_steps)
        try:
            valid, error, outputs, node_errors = validator.validate_prompt(
                prompt, body.get("partial_execution_targets")
            )
        except (TypeError, AttributeError):  # ComfyUI crashes on prompts that are not objects of objects
            return Response("500 Internal Server Error", status_code=500, media_type="text/plain")
        if not valid:
            return JSON({"error": error, "node_errors": node_errors}, status_code=400)
        extra_data = dict(body.get("extra_data") or {})
        if "client_id" in body:
            extra_data["client_id"] = body["client_id"]
        extra_data["create_time"] = int(time.time() * 1000)
        heapq.heappush(life.queue, (number, prompt_id, prompt, extra_data, outputs))
        self.max_pending = max(self.max_pending, len(life.queue) - (0 if life.running else 1))
        life.wakeup.set()
        await self.queue_updated()
        return JSON({"prompt_id": prompt_id, "number": number, "node_errors": node_errors})

    async def get_prompt(self, _: Request) -> Response:
        life = self.life()
        return JSON({"exec_info": {"queue_remaining": len(life.queue) + len(life.running)}})

    async def get_queue(self, _: Request) -> Response:
        life = self.life()
        return JSON(
            {
                "queue_running": [list(i[:5]) for i in life.running.values()],
                "queue_pending": [list(i[:5]) for i in life.queue],
            }
        )

    async def post_queue(self, request: Request) -> Response:
        life = self.life()
        body = await request.json()
        if body.get("clear"):
            life.queue.clear()
        for prompt_id in body.get("delete") or []:
            life.queue = [item for item in life.queue if item[1] != prompt_id]
            heapq.heapify(life.queue)
        await self.queue_updated()
        return Response(status_code=200)

    async def get_history(self, request: Request) -> Response:
        life = self.life()
        items = list(life.history.items())
        if "max_items" in request.query_params:
            items = items[-int(request.query_params["max_items"]) :]
        return JSON(dict(items))

    async def get_history_one(self, request: Request) -> Response:
        life = self.life()
        prompt_id = request.path_params["prompt_id"]
        return JSON({prompt_id: life.history[prompt_id]} if prompt_id in life.history else {})

    async def post_history(self, request: Request) -> Response:
        life = self.life()
        body = await request.json()
        if body.get("clear"):
            life.history.clear()
        for prompt_id in body.get("delete") or []:
            life.history.pop(prompt_id, None)
        return Response(status_code=200)

    async def post_interrupt(self, request: Request) -> Response:
        life = self.life()
        try:
            body = await request.json()
        except ValueError:
            body = {}
        wanted = body.get("prompt_id") if isinstance(body, dict) else None
        if not wanted or any(item[1] == wanted for item in life.running.values()):
            life.interrupted = True
        return Response(status_code=200)

    async def get_object_info(self, _: Request) -> Response:
        self.life()
        return JSON(self.filled_schemas())

    async def get_object_info_one(self, request: Request) -> Response:
        self.life()
        name = request.path_params["node_class"]
        schemas = self.filled_schemas()
        return JSON({name: schemas[name]} if name in schemas else {})

    async def get_system_stats(self, _: Request) -> Response:
        self.life()
        stats = json.loads((DATA / "system_stats.json").read_text())
        if self.device is not None:
            stats["devices"] = [{**stats["devices"][0], **self.device}]
        return JSON(stats)

    async def post_upload(self, request: Request) -> Response:
        self.life()
        form = await request.form()
        image = form.get("image")
        if image is None or isinstance(image, str) or not image.filename:
            return Response(status_code=400)
        subfolder = str(form.get("subfolder") or "")
        folder = (self.input_dir / subfolder).resolve()
        target = (folder / image.filename).resolve()
        if not target.is_relative_to(self.input_dir.resolve()):
            return Response(status_code=400)
        folder.mkdir(parents=True, exist_ok=True)
        content = await image.read()
        target = _unique_target(target, content, overwrite=str(form.get("overwrite")) in ("true", "1"))
        if not target.exists() or target.read_bytes() != content:
            target.write_bytes(content)
        self.uploads += 1
        return JSON({"name": target.name, "subfolder": subfolder, "type": "input"})

    async def get_view(self, request: Request) -> Response:
        self.life()
        query = request.query_params
        filename = query.get("filename")
        if filename is None:
            return Response(status_code=404)
        if filename.startswith("/") or ".." in filename:
            return Response(status_code=400)
        base = {"input": self.input_dir, "output": self.output_dir, "temp": self.temp_dir}.get(
            query.get("type", "output")
        )
        if base is None:
            return Response(status_code=400)
        folder = (base / query.get("subfolder", "")).resolve()
        if not folder.is_relative_to(base.resolve()):
            return Response(status_code=403)
        path = folder / Path(filename).name
        if not path.is_file():
            return Response(status_code=404)
        media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Response(
            path.read_bytes(), media_type=media_type, headers={"Content-Disposition": f'filename="{path.name}"'}
        )

    def _input_exists(self, name: str) -> bool:
        plain, _, annotation = name.partition(" [")
        folder = {"output]": self.output_dir, "temp]": self.temp_dir}.get(annotation, self.input_dir)
        return (folder / plain).is_file()


class _Freezable:
    """ASGI wrapper: while frozen, HTTP requests wait (unanswered) like a server stuck in a long call."""

    def __init__(self, app: Starlette, thawed: threading.Event) -> None:
        self.app, self.thawed = app, thawed

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        while scope["type"] == "http" and not self.thawed.is_set():
            await asyncio.sleep(0.02)
        await self.app(scope, receive, send)


def _set_options(config: list[Any], files: list[str]) -> None:
    if config and config[0] == "COMBO" and len(config) > 1:
        config[1]["options"] = files
    else:
        config[0] = files


def _unique_target(target: Path, content: bytes, *, overwrite: bool) -> Path:
    """Without overwrite, ComfyUI keeps an identical file and renames a different one to ``name (1).ext``."""
    if overwrite:
        return target
    candidate, i = target, 1
    while candidate.exists() and candidate.read_bytes() != content:
        candidate = target.with_name(f"{target.stem} ({i}){target.suffix}")
        i += 1
    return candidate
