"""Every workflow the studio can build passes the fake's validation (real schemas) and our requirement check."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.templates import TemplateValues, apply_template, parse_template
from anime_studio.engines.comfyui.workflows.image import ImageGraph, IpAdapter, build_image_workflow, guess_family
from anime_studio.engines.comfyui.workflows.music import MusicGraph, ace_step_workflow
from anime_studio.engines.comfyui.workflows.video import (
    VideoGraph,
    fit_area,
    framepack_workflow,
    frames_for,
    ltxv_workflow,
    wan_workflow,
)
from anime_studio.engines.image.base import LoraSpec
from tests.engines.comfyui.conftest import MODELS, SD15, SDXL, make_image
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.comfyui_validation import Validator

LORAS = [LoraSpec(name, 0.8, 0.6) for name in MODELS["loras"]]
REFS = ("ref_a.png", "ref_b.png", "ref_c.png")


@pytest.fixture(scope="module")
def fake(tmp_path_factory: pytest.TempPathFactory) -> FakeComfyUI:
    server = FakeComfyUI(tmp_path_factory.mktemp("comfy"), models=MODELS, strict_steps=True)
    for i, name in enumerate((*REFS, "init.png", "source.png")):
        make_image(server.input_dir / name, (80 + 8 * i, 64))
    return server


@pytest.fixture(scope="module")
def validator(fake: FakeComfyUI) -> Validator:
    return Validator(fake.filled_schemas(), input_exists=lambda n: (fake.input_dir / n).is_file(), strict_steps=True)


def assert_valid(workflow: dict[str, Any], validator: Validator) -> None:
    valid, error, outputs, node_errors = validator.validate_prompt(json.loads(json.dumps(workflow)))
    assert valid, (error, json.dumps(node_errors, indent=1)[:3000])
    assert node_errors == {} and outputs
    report = check_workflow(workflow, NodeSchemas(validator.schemas))
    assert report.ok, report.missing() + report.bad_values


IMAGE_CASES = list(itertools.product([SD15, SDXL], ["txt2img", "img2img"], [0, 1, 3], [0, 1, 3]))


@pytest.mark.parametrize(("checkpoint", "mode", "loras", "refs"), IMAGE_CASES)
def test_image_workflows(validator: Validator, checkpoint: str, mode: str, loras: int, refs: int) -> None:
    spec = ImageGraph(
        checkpoint=checkpoint,
        prompt="1girl, yellow raincoat, rainy street",
        negative="lowres, bad hands",
        seed=2**64 + 5,
        width=1024 if checkpoint == SDXL else 512,
        height=577,
        steps=25,
        cfg=7.5,
        loras=tuple(LORAS[:loras]),
        init_image="init.png" if mode == "img2img" else None,
        denoise=0.55,
        ip_adapter=IpAdapter(references=REFS[:refs]) if refs else None,
    )
    workflow = build_image_workflow(spec)
    assert_valid(workflow, validator)
    classes = [node["class_type"] for node in workflow.values()]
    assert classes.count("LoraLoader") == loras
    assert ("IPAdapterAdvanced" in classes) == bool(refs) and classes.count("ImageBatch") == max(0, refs - 1)
    assert ("VAEEncode" in classes) == (mode == "img2img") and classes[-1] == "SaveImage"
    sampler = next(n for n in workflow.values() if n["class_type"] == "KSampler")["inputs"]
    assert sampler["seed"] == 5 and sampler["denoise"] == (0.55 if mode == "img2img" else 1.0)
    if refs:
        ip = next(n for n in workflow.values() if n["class_type"] == "IPAdapterAdvanced")["inputs"]
        assert (ip["weight"], ip["end_at"]) == (0.7, 0.85)
    assert list(workflow) == [str(i) for i in range(1, len(workflow) + 1)]
    assert build_image_workflow(spec) == workflow  # deterministic


def test_lora_stack_is_chained(validator: Validator) -> None:
    workflow = build_image_workflow(
        ImageGraph(checkpoint=SD15, prompt="x", negative="", seed=1, width=512, height=512, loras=tuple(LORAS))
    )
    loras = [(k, n) for k, n in workflow.items() if n["class_type"] == "LoraLoader"]
    assert loras[0][1]["inputs"]["model"] == ["1", 0] and loras[0][1]["inputs"]["clip"] == ["1", 1]
    for (previous, _), (_, node) in itertools.pairwise(loras):
        assert node["inputs"]["model"] == [previous, 0] and node["inputs"]["clip"] == [previous, 1]
    text = next(n for n in workflow.values() if n["class_type"] == "CLIPTextEncode")
    assert text["inputs"]["clip"] == [loras[-1][0], 1]


VIDEO_CASES = list(
    itertools.product(
        [framepack_workflow, ltxv_workflow, wan_workflow],
        ["vhs", "core"],
        [(1024, 576, 3.0, 24), (512, 768, 1.3, 12), (1920, 1080, 8.0, 30)],
    )
)


@pytest.mark.parametrize(("builder", "style", "shape"), VIDEO_CASES, ids=lambda v: getattr(v, "__name__", str(v)))
def test_video_workflows(validator: Validator, builder: Any, style: str, shape: tuple[int, int, float, int]) -> None:
    width, height, duration, fps = shape
    spec = VideoGraph(
        image="source.png",
        prompt="hair blowing in the wind",
        negative="",
        seed=7,
        width=width,
        height=height,
        duration=duration,
        fps=fps,
        output=style,
    )  # type: ignore[arg-type]
    workflow = builder(spec)
    assert_valid(workflow, validator)
    last = list(workflow.values())[-1]["class_type"]
    assert last == ("VHS_VideoCombine" if style == "vhs" else "SaveVideo")


def test_video_sizes_and_lengths_follow_each_model() -> None:
    assert frames_for(3.0, 24, step=8, minimum=9) == 73 and (73 - 1) % 8 == 0
    assert frames_for(3.0, 16, step=4, minimum=5) == 49
    assert frames_for(0.01, 24, step=8, minimum=9) == 9
    assert fit_area(1024, 576, max_area=832 * 480, multiple=16) == (832, 464)
    assert fit_area(320, 240, max_area=832 * 480, multiple=16) == (320, 240)


@pytest.mark.parametrize("seconds", [10.0, 95.55, 2000.0])
def test_ace_step_workflow(validator: Validator, seconds: float) -> None:
    workflow = ace_step_workflow(MusicGraph(tags="calm, piano", seconds=seconds, seed=3))
    assert_valid(workflow, validator)


def test_a_studio_template_fills_in_and_validates(validator: Validator) -> None:
    raw = build_image_workflow(
        ImageGraph(
            checkpoint=SD15,
            prompt="{{prompt}}",
            negative="{{negative}}",
            seed=0,
            width=512,
            height=512,
            loras=(LORAS[0],),
        )
    )
    raw["2"]["_meta"] = {"title": "studio:lora"}
    sampler = next(k for k, n in raw.items() if n["class_type"] == "KSampler")
    raw[sampler]["inputs"].update(seed="{{seed}}", steps="{{steps}}", cfg="{{cfg}}")
    latent = next(k for k, n in raw.items() if n["class_type"] == "EmptyLatentImage")
    raw[latent]["inputs"].update(width="{{ width }}", height="{{height}}")
    template = parse_template(raw)
    assert template.markers == ["prompt", "negative", "seed", "lora", "width", "height", "steps", "cfg"]
    workflow = apply_template(
        template,
        TemplateValues(
            prompt="a fox", negative="blurry", seed=9, width=640, height=384, steps=12, cfg=5.5, lora=LORAS[2]
        ),
    )
    assert_valid(workflow, validator)
    assert workflow[latent]["inputs"]["width"] == 640 and workflow[sampler]["inputs"]["seed"] == 9
    assert workflow["2"]["inputs"]["lora_name"] == LORAS[2].name


def test_checkpoint_family_guess() -> None:
    assert guess_family(SDXL) == "sdxl" and guess_family("ponyDiffusionV6.safetensors") == "sdxl"
    assert guess_family(SD15) == "sd15"


def test_the_bundled_schema_copy_is_the_shared_capture() -> None:
    shared = Path("/work/shared/comfyui/object_info.json")
    if not shared.exists():
        pytest.skip("shared capture not on this machine")
    ours = Path(__file__).parents[2] / "fakes" / "comfyui_data" / "object_info.json"
    assert ours.read_bytes() == shared.read_bytes()
