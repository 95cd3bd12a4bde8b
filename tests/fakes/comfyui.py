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
  with an ``execution_error``; stopping the ``LiveServer`` mid-prompt is a crash, and the next start is
  a fresh process: queue and history are empty again, files on disk remain.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import heapq
import json
import mimetypes
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
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
from tests.fakes.comfyui_media import GraphReader, render_output
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


@dataclass
class Failure:
    node_type: str | None
    message: str
    exception_type: str


@dataclass
class Life:
    """Everything a ComfyUI process forgets when it restarts."""

    loop: asyncio.AbstractEventLoop
    queue: list[tuple[Any, ...]] = field(default_factory=list)
    running: dict[int, tuple[Any, ...]] = field(default_factory=dict)
    history: dict[str, dict[str, Any]] = field(default_factory=dict)
    sockets: dict[str, WebSocket] = field(default_factory=dict)
    number: int = 0
    task_counter: int = 0
    worker: asyncio.Task[None] | None = None
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    interrupted: bool = False
    client_id: str | None = None
    last_node: str | None = None
    cache: dict[str, dict[str, Any] | None] = field(default_factory=dict)


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
        self.max_pending = 0
        self.schemas = {k: v for k, v in captured_schemas().items() if k not in set(without)}
        self.failures: list[Failure] = []
        self.completed: list[str] = []
        self.started: list[str] = []
        self.uploads = 0
        self.max_running = 0
        self._life: Life | None = None
        self.app = Starlette(routes=self._routes())

    # ---- test controls -------------------------------------------------------------------------

    def fail_next(
        self, *, node_type: str | None = None, message: str = "boom", exception_type: str = "RuntimeError"
    ) -> None:
        """The next prompt that executes a node of ``node_type`` (any node when None) fails there."""
        self.failures.append(Failure(node_type, message, exception_type))

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
        """The schemas with file lists as a real server on this disk would list them."""
        schemas = copy.deepcopy(self.schemas)
        for (class_type, name), folder in MODEL_FOLDERS.items():
            config = schemas.get(class_type, {}).get("input", {}).get("required", {}).get(name)
            if config is not None:
                files = list(self.models.get(folder, []))
                _set_options(config, [*files, "pixel_space"] if class_type == "VAELoader" else files)
        images = sorted(p.name for p in self.input_dir.iterdir() if p.suffix.lower() in IMAGE_EXTENSIONS)
        for class_type in ("LoadImage", "LoadImageMask"):
            if class_type in schemas:
                _set_options(schemas[class_type]["input"]["required"]["image"], images)
        return schemas

    # ---- process life --------------------------------------------------------------------------

    def life(self) -> Life:
        """The state of the current server process (a new event loop means the server restarted)."""
        loop = asyncio.get_running_loop()
        if self._life is None or self._life.loop is not loop:
            self._life = Life(loop=loop)
            self._life.worker = loop.create_task(self._work(self._life))
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
        if not isinstance(prompt, dict) or not all(isinstance(node, dict) for node in prompt.values()):
            return Response("500 Internal Server Error", status_code=500, media_type="text/plain")
        prompt_id = str(body.get("prompt_id", uuid.uuid4()))
        validator = Validator(self.filled_schemas(), input_exists=self._input_exists, strict_steps=self.strict_steps)
        valid, error, outputs, node_errors = validator.validate_prompt(prompt, body.get("partial_execution_targets"))
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

    # ---- execution -----------------------------------------------------------------------------

    async def _work(self, life: Life) -> None:
        while True:
            while not life.queue:
                life.wakeup.clear()
                await life.wakeup.wait()
            item = heapq.heappop(life.queue)
            index = life.task_counter
            life.task_counter += 1
            life.running[index] = item
            self.max_running = max(self.max_running, len(life.running))
            await self.queue_updated()
            status, outputs, meta = await Execution(self, life, item).run()
            life.running.pop(index)
            number, prompt_id, prompt, extra_data, targets = item
            life.history[prompt_id] = {
                "prompt": [number, prompt_id, prompt, extra_data, targets],
                "outputs": outputs,
                "status": status,
                "meta": meta,
            }
            await self.queue_updated()
            if extra_data.get("client_id") is not None:
                await self.send("executing", {"node": None, "prompt_id": prompt_id}, extra_data["client_id"])
            life.client_id = life.last_node = None


class Execution:
    """Runs one queued prompt: messages, pacing, failure injection, outputs."""

    def __init__(self, server: FakeComfyUI, life: Life, item: tuple[Any, ...]) -> None:
        self.server, self.life = server, life
        self.number, self.prompt_id, self.prompt, self.extra, self.targets = item
        self.client: str | None = self.extra.get("client_id")
        self.messages: list[list[Any]] = []
        self.executed: list[str] = []
        self.outputs: dict[str, Any] = {}
        self.meta: dict[str, Any] = {}

    async def message(self, event: str, data: dict[str, Any], *, broadcast: bool = False) -> None:
        """``PromptExecutor.add_message``: recorded in the history status, sent to the client."""
        data = {**data, "timestamp": int(time.time() * 1000)}
        self.messages.append([event, data])
        if self.client is not None or broadcast:
            await self.server.send(event, data, None if broadcast else self.client)

    async def run(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        self.life.client_id, self.life.interrupted = self.client, False
        self.server.started.append(self.prompt_id)
        await self.message("execution_start", {"prompt_id": self.prompt_id})
        order = self.order()
        signatures = {node_id: self.signature(node_id) for node_id in order}
        cached = [n for n in order if signatures[n] in self.life.cache]
        await self.message("execution_cached", {"nodes": cached, "prompt_id": self.prompt_id})
        ok = await self.execute_all(order, cached, signatures)
        if ok:
            await self.message("execution_success", {"prompt_id": self.prompt_id})
            self.server.completed.append(self.prompt_id)
            self.life.cache = {signatures[n]: self.life.cache.get(signatures[n], self.outputs.get(n)) for n in order}
        status = {"status_str": "success" if ok else "error", "completed": ok, "messages": self.messages}
        return status, self.outputs, self.meta

    def order(self) -> list[str]:
        """Every node the output targets need, dependencies first."""
        seen: list[str] = []

        def visit(node_id: str) -> None:
            if node_id in seen:
                return
            for value in self.prompt[node_id]["inputs"].values():
                if isinstance(value, list) and len(value) == 2 and str(value[0]) in self.prompt:
                    visit(str(value[0]))
            seen.append(node_id)

        for target in self.targets:
            visit(target)
        return seen

    def signature(self, node_id: str) -> str:
        node = self.prompt[node_id]
        inputs = {k: (self.signature(str(v[0])), v[1]) if isinstance(v, list) else v for k, v in node["inputs"].items()}
        return json.dumps([node["class_type"], inputs], sort_keys=True, default=str)

    async def execute_all(self, order: list[str], cached: list[str], signatures: dict[str, str]) -> bool:
        pending = [n for n in order if n not in cached]
        pace = self.server.duration / max(1, len(pending))
        for node_id in order:
            if node_id in cached:
                ui = self.life.cache[signatures[node_id]]
                if ui is not None:
                    self.outputs[node_id] = ui
                    self.meta[node_id] = self.node_meta(node_id)
                    await self.server.send(
                        "executed",
                        {"node": node_id, "display_node": node_id, "output": ui, "prompt_id": self.prompt_id},
                        self.client,
                    )
                continue
            if not await self.execute(node_id, pace):
                return False
        return True

    def node_meta(self, node_id: str) -> dict[str, Any]:
        return {"node_id": node_id, "display_node": node_id, "parent_node": None, "real_node_id": node_id}

    async def progress_state(self, node_id: str, state: str) -> None:
        node = {
            "value": 1.0 if state == "finished" else 0.0,
            "max": 1.0,
            "state": state,
            "node_id": node_id,
            "prompt_id": self.prompt_id,
            "display_node_id": node_id,
            "parent_node_id": None,
            "real_node_id": node_id,
        }
        await self.server.send("progress_state", {"prompt_id": self.prompt_id, "nodes": {node_id: node}})

    async def execute(self, node_id: str, pace: float) -> bool:
        node = self.prompt[node_id]
        await self.progress_state(node_id, "running")
        self.life.last_node = node_id
        if self.client is not None:
            await self.server.send(
                "executing", {"node": node_id, "display_node": node_id, "prompt_id": self.prompt_id}, self.client
            )
        failure = self.take_failure(node["class_type"])
        if failure is not None:
            await self.fail(node_id, failure)
            return False
        if not await self.work(node_id, node, pace):
            await self.message(
                "execution_interrupted",
                {
                    "prompt_id": self.prompt_id,
                    "node_id": node_id,
                    "node_type": node["class_type"],
                    "executed": list(self.executed),
                },
                broadcast=True,
            )
            return False
        if self.server.schemas[node["class_type"]].get("output_node"):
            await self.save(node_id, node)
        self.executed.append(node_id)
        await self.progress_state(node_id, "finished")
        return True

    async def work(self, node_id: str, node: dict[str, Any], pace: float) -> bool:
        """Spend this node's share of the prompt's duration; samplers report steps. False if interrupted."""
        steps = int(node["inputs"].get("steps", 0)) if node["class_type"] in SAMPLER_NODES else 0
        for step in range(1, steps + 1):
            await asyncio.sleep(pace / steps)
            if self.life.interrupted:
                return False
            await self.server.send(
                "progress", {"value": step, "max": steps, "prompt_id": self.prompt_id, "node": node_id}, self.client
            )
        if not steps:
            await asyncio.sleep(pace)
        return not self.life.interrupted

    async def save(self, node_id: str, node: dict[str, Any]) -> None:
        graph = GraphReader(self.prompt, self.server.input_dir)
        ui = await asyncio.to_thread(render_output, node_id, node, graph, self.server.output_dir, self.server.temp_dir)
        if ui is not None:
            self.outputs[node_id] = ui
            self.meta[node_id] = self.node_meta(node_id)
            await self.server.send(
                "executed",
                {"node": node_id, "display_node": node_id, "output": ui, "prompt_id": self.prompt_id},
                self.client,
            )

    def take_failure(self, class_type: str) -> Failure | None:
        for failure in self.server.failures:
            if failure.node_type in (None, class_type):
                self.server.failures.remove(failure)
                return failure
        return None

    async def fail(self, node_id: str, failure: Failure) -> None:
        node = self.prompt[node_id]
        inputs = {k: [v] for k, v in node["inputs"].items() if not isinstance(v, list)}
        await self.message(
            "execution_error",
            {
                "prompt_id": self.prompt_id,
                "node_id": node_id,
                "node_type": node["class_type"],
                "executed": list(self.executed),
                "exception_message": f"{failure.message}\n",
                "exception_type": failure.exception_type,
                "traceback": [
                    '  File "/tmp/comfy/ComfyUI/execution.py", line 518, in execute\n    <source line omitted>\n'
                ],
                "current_inputs": inputs,
                "current_outputs": list(self.prompt),
            },
        )


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
