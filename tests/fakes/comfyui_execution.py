"""The fake ComfyUI's prompt worker: runs queued prompts one at a time like ``main.prompt_worker``."""

from __future__ import annotations

import asyncio
import heapq
import json
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.websockets import WebSocket

from tests.fakes import comfyui_training as training
from tests.fakes.comfyui_media import GraphReader, render_output

if TYPE_CHECKING:
    from tests.fakes.comfyui import FakeComfyUI

SAMPLER_NODES = frozenset(
    {"KSampler", "KSamplerAdvanced", "SamplerCustom", "SamplerCustomAdvanced", "FramePackSampler"}
)
STEP_NODES = SAMPLER_NODES | {"TrainLoraNode"}
"""Nodes that send one ``progress`` message per step (training runs through ``comfy.utils.ProgressBar`` too)."""


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


async def work(server: FakeComfyUI, life: Life) -> None:
    """The prompt worker of one server process: one prompt at a time, history written after each."""
    while True:
        while not life.queue:
            life.wakeup.clear()
            await life.wakeup.wait()
        item = heapq.heappop(life.queue)
        index = life.task_counter
        life.task_counter += 1
        life.running[index] = item
        server.max_running = max(server.max_running, len(life.running))
        await server.queue_updated()
        status, outputs, meta = await Execution(server, life, item).run()
        life.running.pop(index)
        number, prompt_id, prompt, extra_data, targets = item
        life.history[prompt_id] = {
            "prompt": [number, prompt_id, prompt, extra_data, targets],
            "outputs": outputs,
            "status": status,
            "meta": meta,
        }
        await server.queue_updated()
        if extra_data.get("client_id") is not None:
            await server.send("executing", {"node": None, "prompt_id": prompt_id}, extra_data["client_id"])
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
        self.clock_start, self.clock_slot = 0.0, 0

    async def message(self, event: str, data: dict[str, Any], *, broadcast: bool = False) -> None:
        """``PromptExecutor.add_message``: recorded in the history status, sent to the client."""
        data = {**data, "timestamp": int(time.time() * 1000)}
        self.messages.append([event, data])
        if self.client is not None or broadcast:
            await self.server.send(event, data, None if broadcast else self.client)

    async def run(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        began = time.monotonic()
        try:
            return await self._run()
        finally:
            self.server.busy.append((began, time.monotonic()))

    async def _run(self) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
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
        self.clock_start, self.clock_slot = asyncio.get_running_loop().time(), 0
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
        failure = (
            self.take_failure(node["class_type"])
            or self.out_of_memory(node["class_type"])
            or self.dataset_failure(node)
        )
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
        """Spend this node's share of the prompt's duration; samplers report steps. False if interrupted.

        Sleeps to deadlines measured from the prompt's start, so a prompt takes its configured duration
        however busy the process is (a fixed-time GPU), instead of accumulating every sleep's overshoot.
        """
        loop = asyncio.get_running_loop()
        start = self.clock_start + pace * self.clock_slot  # this node's share of the prompt's fixed duration
        self.clock_slot += 1
        steps = int(node["inputs"].get("steps", 0)) if node["class_type"] in STEP_NODES else 0
        if steps and self.server.stalls and node["class_type"] in SAMPLER_NODES:
            self.server.stalls -= 1
            while not self.life.interrupted:  # wedged: no progress, no end, until someone interrupts
                await asyncio.sleep(0.02)
            return False
        for step in range(1, steps + 1):
            await asyncio.sleep(max(0.0, start + pace * step / steps - loop.time()))
            if self.life.interrupted:
                return False
            await self.server.send(
                "progress", {"value": step, "max": steps, "prompt_id": self.prompt_id, "node": node_id}, self.client
            )
        if not steps:
            await asyncio.sleep(max(0.0, start + pace - loop.time()))
        return not self.life.interrupted

    def dataset_failure(self, node: dict[str, Any]) -> Failure | None:
        problem = training.dataset_problem(self.prompt, node, self.server.input_dir)
        return None if problem is None else Failure(node["class_type"], problem, "RuntimeError")

    async def save(self, node_id: str, node: dict[str, Any]) -> None:
        if node["class_type"] in training.TRAINING_OUTPUTS:
            ui = await asyncio.to_thread(training.output, node, self.prompt, self.server.output_dir)
        else:
            graph = GraphReader(self.prompt, self.server.input_dir)
            ui = await asyncio.to_thread(
                render_output, node_id, node, graph, self.server.output_dir, self.server.temp_dir
            )
        if ui is not None:
            self.outputs[node_id] = ui
            self.meta[node_id] = self.node_meta(node_id)
            await self.server.send(
                "executed",
                {"node": node_id, "display_node": node_id, "output": ui, "prompt_id": self.prompt_id},
                self.client,
            )

    def out_of_memory(self, class_type: str) -> Failure | None:
        """torch's CUDA OOM as ComfyUI reports it (``execution.py`` appends its tips to the message)."""
        limit = self.server.oom_pixels
        if limit is None or class_type not in SAMPLER_NODES or self.latent_pixels() <= limit:
            return None
        message = (
            "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 7.79 GiB of which "
            "1.02 GiB is free. Including non-PyTorch memory, this process has 6.75 GiB memory in use.\n"
            "This error means you ran out of memory on your GPU.\n\nTIPS: If the workflow worked before you "
            "might have accidentally set the batch_size to a large number."
        )
        return Failure(class_type, message, "torch.OutOfMemoryError")

    def latent_pixels(self) -> int:
        sizes = [
            node["inputs"]["width"] * node["inputs"]["height"]
            for node in self.prompt.values()
            if isinstance(node["inputs"].get("width"), int) and isinstance(node["inputs"].get("height"), int)
        ]
        return max(sizes, default=0)

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
