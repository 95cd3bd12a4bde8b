"""``fix_resolution`` on ComfyUI: an upscale-model workflow the fake server validates against the real
node schemas; without an upscale model, Lanczos on this machine and the reason in the detail."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image

from anime_studio.correction import upscaling
from anime_studio.engines.base import MissingRequirement
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.comfyui.workflows.upscale import build_upscale_workflow
from anime_studio.engines.image.comfyui import ComfyImageEngine
from tests.engines.comfyui.conftest import MODELS, ComfyFactory, make_image
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.comfyui_validation import Validator

UPSCALER = "4x-AnimeSharp.pth"


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[tuple[ComfyImageEngine, ComfyImageEngine]]:
    """One engine whose backend has an upscale model, one whose backend has none."""
    comfy_factory = ComfyFactory(tmp_path / "servers")
    pools = [
        ComfyPool([comfy_factory(models=models).url], poll_interval=0.2, unreachable_grace=0.3, timeout=60.0)
        for models in ({**MODELS, "upscale_models": [UPSCALER]}, MODELS)
    ]
    with_model, without = (ComfyImageEngine(pool=p, renderer=PoolRenderer(p)) for p in pools)
    yield with_model, without
    for pool in pools:
        await pool.aclose()
    comfy_factory.close()


def test_the_workflow_passes_real_validation(tmp_path: Path) -> None:
    fake = FakeComfyUI(tmp_path, models={**MODELS, "upscale_models": [UPSCALER]})
    make_image(fake.input_dir / "small.png", (200, 150))
    validator = Validator(fake.filled_schemas(), input_exists=lambda n: (fake.input_dir / n).is_file())
    workflow = build_upscale_workflow(image="small.png", model=UPSCALER, width=683, height=512)
    valid, error, outputs, node_errors = validator.validate_prompt(json.loads(json.dumps(workflow)))
    assert valid and node_errors == {} and outputs, (error, node_errors)
    wrong = build_upscale_workflow(image="small.png", model="missing.pth", width=683, height=512)
    assert not validator.validate_prompt(wrong)[0]  # the schema check is real: an unlisted model fails


async def test_upscale_model_on_comfyui_then_lanczos_without_one(
    tmp_path: Path, engines: tuple[ComfyImageEngine, ComfyImageEngine]
) -> None:
    with_model, without = engines
    source = make_image(tmp_path / "small.png", (200, 150))
    detail = await upscaling.upscale(with_model, source, tmp_path / "big.png", short_side=512)
    assert detail == f"{UPSCALER} upscale on comfyui 200×150 → 683×512"
    with Image.open(tmp_path / "big.png") as big:
        assert big.size == (683, 512)

    with pytest.raises(MissingRequirement):
        await without.upscale(source, tmp_path / "never.png", width=683, height=512)
    fallback = await upscaling.upscale(without, source, tmp_path / "local.png", short_side=512)
    assert fallback.startswith("Lanczos upscale 200×150 → 683×512") and "upscale_models" in fallback
    with Image.open(tmp_path / "local.png") as local:
        assert local.size == (683, 512)
