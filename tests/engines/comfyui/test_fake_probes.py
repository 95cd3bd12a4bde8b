"""The fake ComfyUI answers every captured probe like the real server did."""

from __future__ import annotations

import asyncio
import copy
import io
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from websockets.asyncio.client import connect

from tests.engines.comfyui.conftest import ComfyFactory
from tests.fakes.comfyui import DATA, probe

PROMPT_PROBES = [
    "a_sd15_txt2img_missing_ckpt",
    "b_unknown_class_type",
    "b2_unknown_class_type_only",
    "c_missing_required_and_wrong_type",
    "c1_missing_required_input",
    "c2_wrong_typed_widget",
    "c3_link_type_mismatch",
    "c4_out_of_range_and_bad_combo",
    "c5_link_to_missing_node",
    "f_no_output_node",
    "f2_no_prompt_key",
]


def normalised(body: Any) -> Any:
    """ComfyUI walks a node's inputs in set order (hash-seed dependent): compare a node's errors as a set."""
    body = copy.deepcopy(body)
    for entry in (body.get("node_errors") or {}).values() if isinstance(body, dict) else []:
        entry["errors"] = sorted(entry["errors"], key=lambda e: json.dumps(e, sort_keys=True))
        entry["dependent_outputs"] = sorted(entry["dependent_outputs"])
    return body


@pytest.mark.parametrize("name", PROMPT_PROBES)
async def test_bad_prompts_get_the_probes_exact_answer(comfy_factory: ComfyFactory, name: str) -> None:
    comfy = comfy_factory(models={})  # the capture had an empty models folder
    captured = probe(name)
    async with httpx.AsyncClient() as http:
        response = await http.post(comfy.url + "/prompt", json=captured["request"]["json"])
    expected = captured["response"]
    assert response.status_code == expected["status"]
    assert response.headers["content-type"] == expected["content_type"]
    assert normalised(response.json()) == normalised(expected["body"])


async def test_error_order_inside_a_node_is_the_only_difference(comfy_factory: ComfyFactory) -> None:
    """Guard for ``normalised``: bodies differ at most in the order of a node's errors."""
    comfy = comfy_factory(models={})
    captured = probe("c4_out_of_range_and_bad_combo")
    async with httpx.AsyncClient() as http:
        body = (await http.post(comfy.url + "/prompt", json=captured["request"]["json"])).json()
    assert body != captured["response"]["body"]  # this probe's KSampler errors came out in another order
    assert body["node_errors"]["3"]["errors"][::-1] == captured["response"]["body"]["node_errors"]["3"]["errors"]


async def test_valid_prompt_is_queued_once_the_checkpoint_exists(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={"checkpoints": ["dummy.safetensors"]})
    captured = probe("d1_sd15_txt2img_dummy_ckpt_post")
    async with httpx.AsyncClient() as http:
        info = await http.get(comfy.url + "/object_info/CheckpointLoaderSimple")
        response = await http.post(comfy.url + "/prompt", json=captured["request"]["json"])
    assert info.json() == probe("d0_object_info_CheckpointLoaderSimple_after_dummy")["response"]["body"]
    assert response.status_code == 200
    body = response.json()
    assert set(body) == set(captured["response"]["body"]) and body["node_errors"] == {}
    assert isinstance(body["number"], int) and len(body["prompt_id"]) == 36


async def test_upload_view_and_file_lists(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={})
    png = io.BytesIO()
    Image.new("RGB", (4, 4), (255, 0, 0)).save(png, format="PNG")
    content = png.getvalue()
    async with httpx.AsyncClient() as http:
        upload = await http.post(
            comfy.url + "/upload/image",
            files={"image": ("probe_red_4x4.png", content, "image/png")},
            data={"overwrite": "true"},
        )
        view = await http.get(
            comfy.url + "/view", params={"filename": "probe_red_4x4.png", "type": "input", "subfolder": ""}
        )
        missing = await http.get(comfy.url + "/view", params={"filename": "does_not_exist.png", "type": "input"})
        load_image = await http.get(comfy.url + "/object_info/LoadImage")
    assert upload.json() == probe("e1_upload_image")["response"]["body"]
    e2 = probe("e2_view_uploaded_image")["response"]
    assert view.status_code == 200 and view.content == content
    assert view.headers["content-type"] == e2["content_type"]
    assert view.headers["content-disposition"] == e2["content_disposition"]
    assert int(view.headers["content-length"]) == len(content)
    assert missing.status_code == 404 and missing.content == b"" and "content-type" not in missing.headers
    assert load_image.json() == probe("e4_object_info_LoadImage_after_upload")["response"]["body"]


async def test_upload_without_overwrite_keeps_both_files(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={})
    async with httpx.AsyncClient() as http:
        names = []
        for content in (b"first", b"second", b"second"):
            response = await http.post(comfy.url + "/upload/image", files={"image": ("x.png", content, "image/png")})
            names.append(response.json()["name"])
    assert names == ["x.png", "x (1).png", "x (1).png"]


async def _run_with_socket(url: str, body: dict[str, Any]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Connect as client 'probe', queue ``body``, collect messages until ``executing: null``."""
    messages: list[dict[str, Any]] = []
    async with connect(url.replace("http", "ws") + "/ws?clientId=probe") as ws, httpx.AsyncClient() as http:
        messages.append(json.loads(await ws.recv()))
        prompt_id = (await http.post(url + "/prompt", json=body)).json()["prompt_id"]
        while not (messages[-1]["type"] == "executing" and messages[-1]["data"]["node"] is None):
            messages.append(json.loads(await asyncio.wait_for(ws.recv(), 10)))
        history = (await http.get(f"{url}/history/{prompt_id}")).json()
        queue = (await http.get(url + "/queue")).json()
    assert queue == probe("d3_queue_before_and_after")["after"]["response"]["body"]
    return messages, history[prompt_id]


async def test_failed_run_sends_the_probe_message_sequence_and_history(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={"checkpoints": ["dummy.safetensors"]})
    comfy.fake.fail_next(
        node_type="CheckpointLoaderSimple",
        message="Error while deserializing header: header too small",
        exception_type="safetensors._safetensors_rust.SafetensorError",
    )
    body = probe("d1_sd15_txt2img_dummy_ckpt_post")["request"]["json"]
    messages, entry = await _run_with_socket(comfy.url, body)
    recorded = [m["msg"] for m in probe("d2_websocket_messages")["messages"]]
    assert [m["type"] for m in messages] == [m["type"] for m in recorded]
    for got, want in zip(messages, recorded, strict=True):
        assert set(got["data"]) == set(want["data"]), got["type"]
    error = messages[-3]["data"]
    assert error["node_type"] == "CheckpointLoaderSimple" and error["exception_message"].startswith("Error while")
    want = probe("d4_history_after_failure")["response"]["body"]
    want_entry = next(iter(want.values()))
    assert set(entry) == set(want_entry)
    assert len(entry["prompt"]) == 5 and entry["prompt"][2] == want_entry["prompt"][2]
    assert set(entry["prompt"][3]) == {"client_id", "create_time"} and entry["prompt"][4] == ["9"]
    assert entry["outputs"] == {} and entry["status"]["status_str"] == "error" and entry["status"]["completed"] is False
    assert [m[0] for m in entry["status"]["messages"]] == [m[0] for m in want_entry["status"]["messages"]]


async def test_successful_run_messages_history_and_outputs(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={"checkpoints": ["dummy.safetensors"]})
    body = probe("d1_sd15_txt2img_dummy_ckpt_post")["request"]["json"]
    messages, entry = await _run_with_socket(comfy.url, body)
    kinds = [m["type"] for m in messages]
    assert kinds[:2] == ["status", "status"] and kinds[-2:] == ["status", "executing"]
    assert {"execution_start", "execution_cached", "progress", "executed", "execution_success"} <= set(kinds)
    executing = [m["data"]["node"] for m in messages if m["type"] == "executing"][:-1]
    assert sorted(executing) == sorted(body["prompt"]) and executing.index("4") < executing.index(
        "3"
    ) < executing.index("9")
    steps = [m["data"]["value"] for m in messages if m["type"] == "progress"]
    assert steps == list(range(1, 21))
    assert entry["status"] == {"status_str": "success", "completed": True, "messages": entry["status"]["messages"]}
    assert [m[0] for m in entry["status"]["messages"]] == ["execution_start", "execution_cached", "execution_success"]
    image = entry["outputs"]["9"]["images"][0]
    assert (
        image["filename"] == "probe_00001_.png" and image["type"] == "output" and entry["meta"]["9"]["node_id"] == "9"
    )
    async with httpx.AsyncClient() as http:
        png = await http.get(comfy.url + "/view", params=image)
    assert Image.open(io.BytesIO(png.content)).size == (512, 512)


@pytest.mark.parametrize("name", ["framepack_i2v_api", "ltxv_i2v_api"])
async def test_example_workflows_are_accepted_and_the_negative_control_rejected(
    comfy_factory: ComfyFactory, name: str
) -> None:
    recorded = json.loads((DATA / "workflows" / f"{name}.validation.json").read_text())
    models: dict[str, list[str]] = {}
    for note in recorded["note"].split("existed at the time: ")[1].split(". LoadImage")[0].split(", "):
        folder, _, filename = note.removeprefix("models/").partition("/")
        models.setdefault({"text_encoders": "text_encoders"}.get(folder, folder), []).append(filename)
    comfy = comfy_factory(models=models)
    workflow = json.loads((DATA / "workflows" / f"{name}.json").read_text())
    async with httpx.AsyncClient() as http:
        accepted = await http.post(comfy.url + "/prompt", json={"prompt": workflow, "client_id": "probe"})
        assert accepted.status_code == recorded["response"]["status"] == 200
        assert accepted.json()["node_errors"] == recorded["response"]["body"]["node_errors"] == {}
        if "negative_control" in recorded:
            bad = copy.deepcopy(workflow)
            bad["12"]["inputs"].update(latent_window_size=40, sampler="euler")
            rejected = await http.post(comfy.url + "/prompt", json={"prompt": bad, "client_id": "probe"})
            control = recorded["negative_control"]
            assert rejected.status_code == control["status"]
            assert normalised(rejected.json()) == normalised(control["body"])


async def test_restart_forgets_queue_and_history_but_keeps_files(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    comfy = comfy_factory(models={"checkpoints": ["dummy.safetensors"]}, duration=0.01)
    body = probe("d1_sd15_txt2img_dummy_ckpt_post")["request"]["json"]
    async with httpx.AsyncClient() as http:
        prompt_id = (await http.post(comfy.url + "/prompt", json=body)).json()["prompt_id"]
        for _ in range(200):
            if (await http.get(f"{comfy.url}/history/{prompt_id}")).json():
                break
            await asyncio.sleep(0.02)
        await asyncio.to_thread(comfy.restart)
        assert (await http.get(f"{comfy.url}/history/{prompt_id}")).json() == {}
        image = await http.get(comfy.url + "/view", params={"filename": "probe_00001_.png", "type": "output"})
        assert image.status_code == 200


async def test_malformed_prompts_fail_like_comfyui(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={})
    async with httpx.AsyncClient() as http:
        as_list = await http.post(comfy.url + "/prompt", json={"prompt": [1, 2]})
        string_node = await http.post(comfy.url + "/prompt", json={"prompt": {"7": "not a node"}})
        not_json = await http.post(comfy.url + "/prompt", content=b"{", headers={"content-type": "application/json"})
    assert as_list.status_code == 500 and not_json.status_code == 500
    assert string_node.status_code == 400
    assert string_node.json()["error"] == {
        "type": "invalid_prompt",
        "message": "Cannot execute because a node is missing the class_type property.",
        "details": "Node ID '#7'",
        "extra_info": {},
    }
