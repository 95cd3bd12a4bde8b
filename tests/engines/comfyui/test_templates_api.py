"""Workflow templates over the API: upload, list, get, delete, validate against backends, use in the image engine."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from anime_studio.config import Settings
from anime_studio.db.session import Database
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.image.base import ImageRequest
from anime_studio.engines.image.comfyui import ComfyImageEngine
from anime_studio.workflow_templates.store import DatabaseTemplateStore
from tests.engines.comfyui.conftest import MODELS, ComfyFactory
from tests.engines.comfyui.test_templates import studio_template
from tests.factories import API, Studio

URL = f"{API}/workflow-templates"


async def upload(studio: Studio, name: str = "Night scene", workflow: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await studio.editor.post(
        URL, json={"name": name, "description": "moody", "workflow": workflow or studio_template()}
    )
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_upload_list_get_delete(studio: Studio) -> None:
    created = await upload(studio)
    assert created["markers"] == ["prompt", "negative", "seed", "lora", "width", "height", "steps", "cfg"]
    assert created["kind"] == "image" and created["workflow"]["3"]["inputs"]["text"].endswith("{{prompt}}")
    listed = (await studio.reviewer.get(URL)).json()
    assert listed["total"] == 1 and "workflow" not in listed["items"][0] and listed["items"][0]["name"] == "Night scene"
    fetched = await studio.reviewer.get(f"{URL}/{created['id']}")
    assert fetched.status_code == 200 and fetched.json()["workflow"] == created["workflow"]
    assert (await studio.reviewer.delete(f"{URL}/{created['id']}")).status_code == 403
    assert (await studio.editor.delete(f"{URL}/{created['id']}")).status_code == 204
    assert (await studio.reviewer.get(f"{URL}/{created['id']}")).status_code == 404


@pytest.mark.parametrize(
    ("workflow", "detail"),
    [
        (
            {
                "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "plain"}},
                "2": {"class_type": "SaveImage", "inputs": {}},
            },
            "no prompt marker",
        ),
        ({"1": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{prompt}}"}}}, "saves nothing"),
        ({"nodes": [], "links": []}, "UI format"),
        ({"1": "not a node"}, "needs a class_type"),
    ],
)
async def test_bad_templates_are_422_with_a_reason(studio: Studio, workflow: dict[str, Any], detail: str) -> None:
    response = await studio.editor.post(URL, json={"name": "bad", "workflow": workflow})
    assert response.status_code == 422 and detail in response.json()["detail"]


async def test_names_are_unique_and_writes_need_an_editor(studio: Studio) -> None:
    await upload(studio)
    assert (
        await studio.editor.post(URL, json={"name": "night SCENE", "workflow": studio_template()})
    ).status_code == 409
    assert (await studio.reviewer.post(URL, json={"name": "x", "workflow": studio_template()})).status_code == 403
    assert (await studio.editor.post(URL, json={"name": "x", "workflow": [1]})).status_code == 422


async def test_validate_against_every_backend(
    studio: Studio, settings: Settings, comfy_factory: ComfyFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    ready = comfy_factory()
    no_lora = comfy_factory(models={**MODELS, "loras": []})
    no_checkpoint = comfy_factory(models={**MODELS, "checkpoints": []})
    dead = comfy_factory()
    dead.server.stop()
    monkeypatch.setattr(settings, "comfyui_urls", [ready.url, no_lora.url, no_checkpoint.url, dead.url])
    created = await upload(studio)
    response = await studio.editor.post(f"{URL}/{created['id']}/validate")
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["ok"] is True and result["template_id"] == created["id"]
    by_url = {b["url"]: b for b in result["backends"]}
    assert by_url[ready.url] == {
        "url": ready.url,
        "reachable": True,
        "ok": True,
        "missing": [],
        "problems": [],
        "error": "",
    }
    assert by_url[no_lora.url]["missing"] == ["models/loras/hana_v1.safetensors (node 2 LoraLoader.lora_name)"]
    assert by_url[no_checkpoint.url]["missing"] == [
        "models/checkpoints/anything-v5.safetensors (node 1 CheckpointLoaderSimple.ckpt_name)"
    ]
    assert by_url[dead.url]["reachable"] is False and "unreachable" in by_url[dead.url]["error"]
    assert (await studio.reviewer.post(f"{URL}/{created['id']}/validate")).status_code == 403
    assert (await studio.editor.post(f"{URL}/999/validate")).status_code == 404


async def test_image_engine_applies_a_stored_template(
    studio: Studio, settings: Settings, db: Database, comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    created = await upload(studio, name="Night scene")
    comfy = comfy_factory()
    pool = ComfyPool([comfy.url], poll_interval=0.2)
    store = DatabaseTemplateStore(settings, database=db)
    for ref in ("night scene", str(created["id"])):
        engine = ComfyImageEngine(pool=pool, renderer=PoolRenderer(pool), template=ref, templates=store)
        request = ImageRequest(
            prompt="a fox",
            negative="blurry",
            seed=3,
            width=128,
            height=72,
            output_path=tmp_path / f"{ref}.png",
            checkpoint="anything-v5.safetensors",
        )
        result = await engine.generate(request)
        texts = [
            n["inputs"]["text"] for n in result.parameters["workflow"].values() if n["class_type"] == "CLIPTextEncode"
        ]
        assert texts == ["masterpiece, night scene, a fox", "blurry"] and Image.open(result.path).size == (128, 72)
    await pool.aclose()
