"""The ComfyUI client against the fake: submit, rejections, websocket progress, polling fallback, restarts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.client import ComfyClient
from anime_studio.engines.comfyui.errors import (
    BackendUnavailable,
    ExecutionFailed,
    MissingModel,
    OutOfMemory,
    PromptLost,
    WorkflowRejected,
)
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow
from anime_studio.engines.comfyui.workflows.outputs import output_refs
from tests.engines.comfyui.conftest import SD15, Comfy, ComfyFactory, make_image
from tests.fakes.comfyui import probe


def image_workflow(seed: int = 1, steps: int = 6, **changes: Any) -> dict[str, Any]:
    return build_image_workflow(
        ImageGraph(checkpoint=SD15, prompt="a cat", negative="", seed=seed, width=64, height=48, steps=steps, **changes)
    )


@pytest.fixture
async def client(comfy: Comfy) -> AsyncIterator[ComfyClient]:
    c = ComfyClient(comfy.url, poll_interval=0.2, unreachable_grace=0.5, timeout=20)
    yield c
    await c.aclose()


class Recorder:
    def __init__(self) -> None:
        self.calls: list[tuple[float, str]] = []

    async def __call__(self, fraction: float, message: str) -> None:
        self.calls.append((fraction, message))


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "a_sd15_txt2img_missing_ckpt",
            "lacks the model file(s) 'missing.safetensors' (models/checkpoints, node 4 CheckpointLoaderSimple",
        ),
        ("c3_link_type_mismatch", "node 3 (KSampler) input model: linked to a VAE output but expects MODEL"),
        ("c1_missing_required_input", "node 3 (KSampler) input steps: required input is missing"),
        (
            "c2_wrong_typed_widget",
            "input cfg: failed to convert an input value to a FLOAT value: could not convert string to float: 'seven'",
        ),
        (
            "c4_out_of_range_and_bad_combo",
            "node 5 (EmptyLatentImage) input width: value 100000 bigger than max of 16384",
        ),
        ("c5_link_to_missing_node", "node 3 (KSampler) input samples: validation raised KeyError: '99'"),
        ("b_unknown_class_type", "Cannot execute because node NoSuchNodeType does not exist. (Node ID '#10')"),
        ("f_no_output_node", "Prompt has no outputs"),
    ],
)
async def test_rejections_name_node_class_input_and_reason(
    comfy_factory: ComfyFactory, name: str, message: str
) -> None:
    comfy = comfy_factory(models={})
    client = ComfyClient(comfy.url)
    with pytest.raises(WorkflowRejected) as caught:
        await client.submit(probe(name)["request"]["json"]["prompt"])
    await client.aclose()
    assert str(caught.value).startswith(f"ComfyUI at {comfy.url} ")
    assert message in str(caught.value)
    missing_model = name.startswith("a_")  # the only rejection that is all about a model file
    assert isinstance(caught.value, MissingModel) is missing_model
    assert caught.value.kind == ("missing_model" if missing_model else "rejected")


async def test_wait_follows_websocket_progress(comfy: Comfy, client: ComfyClient) -> None:
    recorder = Recorder()
    prompt_id = await client.submit(image_workflow(steps=8))
    entry = await client.wait(prompt_id, recorder)
    fractions = [f for f, _ in recorder.calls]
    assert fractions == sorted(fractions) and 0.8 < fractions[-1] < 1.0
    messages = [m for _, m in recorder.calls]
    assert messages[0] == "started" and "node 5 (KSampler)" in messages
    assert [m for m in messages if "step" in m] == [f"KSampler step {i}/8" for i in range(1, 9)]
    assert [ref.kind for ref in output_refs(entry)] == ["image"]


async def test_events_stream_yields_typed_messages(comfy: Comfy, client: ComfyClient) -> None:
    seen: list[str] = []

    async def listen() -> None:
        async for event in client.events():
            seen.append(event.type)
            if event.type == "executing" and event.data.get("node") is None:
                return

    listener = asyncio.create_task(listen())
    await asyncio.sleep(0.2)
    await client.submit(image_workflow())
    await asyncio.wait_for(listener, 10)
    assert seen[0] == "_connected" and "execution_start" in seen and "progress" in seen and "execution_success" in seen


async def test_wait_polls_when_there_is_no_websocket(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(websocket=False, duration=0.3)
    client = ComfyClient(comfy.url, poll_interval=0.1)
    recorder = Recorder()
    prompt_id = await client.submit(image_workflow())
    entry = await client.wait(prompt_id, recorder)
    await client.aclose()
    assert entry["status"]["status_str"] == "success" and not client.hub.connected
    assert not any("step" in m for _, m in recorder.calls)  # no socket, no step progress — but it finished


async def test_wait_survives_a_websocket_drop(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=1.0)
    client = ComfyClient(comfy.url, poll_interval=5.0)
    prompt_id = await client.submit(image_workflow(steps=20))
    waiter = asyncio.create_task(client.wait(prompt_id))
    await asyncio.sleep(0.3)
    await asyncio.to_thread(comfy.fake.drop_websockets)
    entry = await asyncio.wait_for(waiter, 10)
    await client.aclose()
    assert entry["status"]["status_str"] == "success"


async def test_restarted_server_forgot_the_prompt(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=3.0)
    client = ComfyClient(comfy.url, poll_interval=0.2, unreachable_grace=5.0)
    prompt_id = await client.submit(image_workflow())
    await client.wait_started(prompt_id)
    waiter = asyncio.create_task(client.wait(prompt_id))
    await asyncio.sleep(0.2)
    started = time.monotonic()
    await asyncio.to_thread(comfy.restart)
    with pytest.raises(PromptLost) as caught:
        await asyncio.wait_for(waiter, 10)
    await client.aclose()
    assert isinstance(caught.value, TransientEngineError)
    # Noticed from the restart, not by waiting out the 5 s grace (margin for a loaded 2-core CI machine).
    assert "forgot prompt" in str(caught.value) and time.monotonic() - started < 4.5


async def test_dead_server_is_unavailable_after_the_grace(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=3.0)
    client = ComfyClient(comfy.url, poll_interval=0.1, unreachable_grace=0.3)
    prompt_id = await client.submit(image_workflow())
    waiter = asyncio.create_task(client.wait(prompt_id))
    await asyncio.sleep(0.2)
    await asyncio.to_thread(comfy.server.stop)
    with pytest.raises(BackendUnavailable):
        await asyncio.wait_for(waiter, 10)
    with pytest.raises(BackendUnavailable, match="unreachable"):
        await client.submit(image_workflow())
    await client.aclose()


async def test_execution_error_names_node_and_exception(comfy: Comfy, client: ComfyClient) -> None:
    comfy.fake.fail_next(
        node_type="KSampler", message="CUDA error: device-side assert triggered", exception_type="RuntimeError"
    )
    prompt_id = await client.submit(image_workflow())
    with pytest.raises(ExecutionFailed) as caught:
        await client.wait(prompt_id)
    assert (
        str(caught.value)
        == f"ComfyUI at {comfy.url} failed at node 5 (KSampler): RuntimeError: CUDA error: device-side assert triggered"
    )
    assert not isinstance(caught.value, TransientEngineError) and caught.value.kind == "failed"


async def test_out_of_memory_is_its_own_class(comfy: Comfy, client: ComfyClient) -> None:
    comfy.fake.oom_above(0)
    with pytest.raises(OutOfMemory) as caught:
        await client.wait(await client.submit(image_workflow()))
    assert caught.value.kind == "out_of_memory" and not isinstance(caught.value, TransientEngineError)
    assert str(caught.value) == (
        f"ComfyUI at {comfy.url} ran out of GPU memory at node 5 (KSampler): "
        "CUDA out of memory. Tried to allocate 2.00 GiB. GPU 0 has a total capacity of 7.79 GiB of which "
        "1.02 GiB is free. Including non-PyTorch memory, this process has 6.75 GiB memory in use."
    )


async def test_failure_seen_only_in_history_still_raises(comfy: Comfy, client: ComfyClient) -> None:
    comfy.fake.fail_next(node_type="VAEDecode", message="bad latent")
    prompt_id = await client.submit(image_workflow())
    for _ in range(100):
        if await client.history(prompt_id):
            break
        await asyncio.sleep(0.05)
    with pytest.raises(ExecutionFailed, match="node 6 \\(VAEDecode\\): RuntimeError: bad latent"):
        await client.wait(prompt_id)


async def test_wait_started_returns_when_the_prompt_leaves_the_queue(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=0.6)
    client = ComfyClient(comfy.url, poll_interval=0.1)
    first = await client.submit(image_workflow(seed=1))
    second = await client.submit(image_workflow(seed=2))
    queue = await client.queue()
    assert queue.pending_position(second) == 0 and (queue.is_running(first) or queue.pending_position(first) == 0)
    started = time.monotonic()
    await client.wait_started(second)
    assert time.monotonic() - started > 0.3 and comfy.fake.started == [first, second]
    assert (await client.queue()).is_running(second)
    await client.wait(second)
    await client.aclose()


async def test_interrupt_and_delete(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=2.0)
    client = ComfyClient(comfy.url, poll_interval=0.1)
    first = await client.submit(image_workflow(seed=1, steps=40))
    second = await client.submit(image_workflow(seed=2))
    await client.delete_queued([second])
    assert [i.prompt_id for i in (await client.queue()).pending] == []
    await client.wait_started(first)
    await client.interrupt(first)
    with pytest.raises(EngineError, match="interrupted"):
        await client.wait(first)
    with pytest.raises(PromptLost):
        await client.wait(second)
    await client.aclose()


async def test_timeout_gives_up_and_clears_the_prompt(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(duration=3.0)
    client = ComfyClient(comfy.url, poll_interval=0.1)
    prompt_id = await client.submit(image_workflow(steps=30))
    with pytest.raises(TransientEngineError, match=r"did not finish in 0\.5 s"):
        await client.wait(prompt_id, timeout=0.5)
    entry = None
    for _ in range(50):
        entry = await client.history(prompt_id)
        if entry:
            break
        await asyncio.sleep(0.05)
    await client.aclose()
    assert entry is not None and entry["status"]["messages"][-1][0] == "execution_interrupted"


async def test_upload_view_object_info_and_stats(comfy: Comfy, client: ComfyClient, tmp_path: Path) -> None:
    source = make_image(tmp_path / "ref.png")
    name = await client.upload_image(source, "as-test.png")
    assert name == "as-test.png"
    assert await client.view(name, type="input") == source.read_bytes()
    with pytest.raises(EngineError, match=r"has no output file nothing\.png"):
        await client.view("nothing.png")
    schemas = await client.object_info()
    assert "as-test.png" in schemas.files("LoadImage", "image")
    comfy.fake.install("checkpoints", "new-model.safetensors")
    assert "new-model.safetensors" not in (await client.object_info()).files("CheckpointLoaderSimple", "ckpt_name")
    assert "new-model.safetensors" in (await client.object_info(refresh=True)).files(
        "CheckpointLoaderSimple", "ckpt_name"
    )
    stats = await client.system_stats()
    assert stats["devices"][0]["name"] == "cpu" and stats["system"]["comfyui_version"] == "0.8.0"


async def test_identical_prompt_is_served_from_cache(comfy: Comfy, client: ComfyClient) -> None:
    workflow = image_workflow(seed=42)
    first = await client.wait(await client.submit(workflow))
    second = await client.wait(await client.submit(workflow))
    assert output_refs(first) == output_refs(second)
    cached = second["status"]["messages"][1]
    assert cached[0] == "execution_cached" and len(cached[1]["nodes"]) == len(workflow)


def test_a_client_survives_a_new_event_loop(comfy: Comfy) -> None:
    """The pool is built once per process; a CLI command may run it under several ``asyncio.run`` calls."""
    client = ComfyClient(comfy.url, poll_interval=0.2)

    async def render(seed: int) -> str:
        entry = await client.wait(await client.submit(image_workflow(seed=seed)))
        return output_refs(entry)[0].filename

    first = asyncio.run(render(1))
    second = asyncio.run(render(2))
    asyncio.run(client.aclose())
    assert first != second
