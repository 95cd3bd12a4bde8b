"""Studio workflow templates: parsing, validation messages, filling in the markers."""

from __future__ import annotations

from typing import Any

import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.comfyui.templates import TemplateError, TemplateValues, apply_template, parse_template
from anime_studio.engines.comfyui.workflows.image import ImageGraph, build_image_workflow
from anime_studio.engines.image.base import LoraSpec
from tests.engines.comfyui.conftest import SD15


def studio_template() -> dict[str, Any]:
    """A txt2img export marked by placeholders and by titles, as a studio would upload it."""
    workflow = build_image_workflow(
        ImageGraph(
            checkpoint=SD15,
            prompt="masterpiece, night scene, {{prompt}}",
            negative="",
            seed=0,
            width=512,
            height=512,
            loras=(LoraSpec("hana_v1.safetensors"),),
        )
    )
    workflow["2"]["_meta"] = {"title": "studio:lora"}
    workflow["4"]["_meta"] = {"title": "studio:negative"}
    workflow["5"]["_meta"] = {"title": "Canvas"}
    workflow["5"]["inputs"].update(width="{{width}}", height="{{height}}")
    workflow["6"]["_meta"] = {"title": "studio:seed"}
    workflow["6"]["inputs"].update(steps="{{steps}}", cfg="{{cfg}}")
    return workflow


def test_markers_are_found_in_values_and_titles() -> None:
    template = parse_template(studio_template())
    assert template.markers == ["prompt", "negative", "seed", "lora", "width", "height", "steps", "cfg"]
    slots = {(s.marker, s.node_id, s.input, s.mode) for s in template.slots}
    assert ("prompt", "3", "text", "text") in slots and ("negative", "4", "text", "value") in slots
    assert ("seed", "6", "seed", "value") in slots and ("lora", "2", "lora_name", "value") in slots


def test_apply_fills_every_marker_with_typed_values() -> None:
    template = parse_template(studio_template())
    values = TemplateValues(
        prompt="a fox",
        negative="blurry",
        seed=2**64 + 3,
        width=640,
        height=360,
        steps=9,
        cfg=4.5,
        lora=LoraSpec("rain_style.safetensors", 0.6, 0.4),
    )
    workflow = apply_template(template, values)
    assert (
        workflow["3"]["inputs"]["text"] == "masterpiece, night scene, a fox"
        and workflow["4"]["inputs"]["text"] == "blurry"
    )
    assert (
        workflow["5"]["inputs"]["width"] == 640
        and workflow["6"]["inputs"]["seed"] == 3
        and workflow["6"]["inputs"]["cfg"] == 4.5
    )
    lora = workflow["2"]["inputs"]
    assert (lora["lora_name"], lora["strength_model"], lora["strength_clip"]) == ("rain_style.safetensors", 0.6, 0.4)
    assert (
        template.workflow["3"]["inputs"]["text"] == "masterpiece, night scene, {{prompt}}"
    )  # the template is untouched


def test_without_a_lora_the_lora_node_is_switched_off() -> None:
    workflow = apply_template(parse_template(studio_template()), TemplateValues(prompt="x"))
    assert workflow["2"]["inputs"]["lora_name"] == "hana_v1.safetensors"
    assert (workflow["2"]["inputs"]["strength_model"], workflow["2"]["inputs"]["strength_clip"]) == (0.0, 0.0)
    raw = studio_template()
    raw["2"]["inputs"]["lora_name"] = "{{lora}}"
    with pytest.raises(EngineError, match="has a \\{\\{lora\\}\\} slot but this generation has no LoRA"):
        apply_template(parse_template(raw), TemplateValues(prompt="x"))


def test_image_marker_needs_an_image() -> None:
    raw = build_image_workflow(
        ImageGraph(
            checkpoint=SD15, prompt="{{prompt}}", negative="", seed=0, width=512, height=512, init_image="{{image}}"
        )
    )
    template = parse_template(raw)
    assert "image" in template.markers
    with pytest.raises(EngineError, match="needs a value for \\{\\{image\\}\\}"):
        apply_template(template, TemplateValues(prompt="x"))
    workflow = apply_template(template, TemplateValues(prompt="x", image="as-123.png"))
    assert workflow["4"]["class_type"] == "LoadImage" and workflow["4"]["inputs"]["image"] == "as-123.png"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "non-empty JSON object of nodes"),
        ({}, "non-empty JSON object of nodes"),
        ({"nodes": [], "links": []}, "UI format"),
        ({"1": {"inputs": {}}}, "node '1' needs a class_type"),
        ({"1": {"class_type": "SaveImage", "inputs": []}}, "inputs must be an object"),
        ({"1": {"class_type": "SaveImage", "inputs": {"images": [1, 2, 3]}}}, "a link must be [node_id, output_index]"),
        (
            {
                "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "no marker"}},
                "2": {"class_type": "SaveImage", "inputs": {}},
            },
            "no prompt marker",
        ),
        ({"1": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{prompt}}"}}}, "saves nothing"),
        ({"1": {"class_type": "CLIPTextEncode", "inputs": {"text": "{{promt}}"}}}, "unknown marker {{promt}}"),
        ({"1": {"class_type": "KSampler", "inputs": {"seed": "seed {{seed}}"}}}, "{{seed}} must be the whole value"),
        ({"1": {"class_type": "KSampler", "_meta": {"title": "studio:speed"}, "inputs": {}}}, "unknown title marker"),
        ({"1": {"class_type": "Foo", "_meta": {"title": "studio:prompt"}, "inputs": {"bar": 1}}}, "say which input"),
    ],
)
def test_bad_templates_are_explained(raw: Any, message: str) -> None:
    with pytest.raises(TemplateError) as caught:
        parse_template(raw)
    assert message in str(caught.value)


def test_pasted_prompt_body_and_output_title_are_accepted() -> None:
    body = {
        "prompt": {
            "1": {"class_type": "MyTextNode", "_meta": {"title": "studio:prompt:caption"}, "inputs": {"caption": ""}},
            "2": {"class_type": "MySaver", "_meta": {"title": "studio:output"}, "inputs": {}},
        }
    }
    template = parse_template(body)
    assert (
        template.markers == ["prompt"]
        and apply_template(template, TemplateValues(prompt="hi"))["1"]["inputs"]["caption"] == "hi"
    )
