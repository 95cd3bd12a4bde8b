"""Studio-supplied workflows: an API-format export with marked inputs, filled in per generation.

Mark an input in either of two ways:
- a placeholder value: ``"text": "{{prompt}}"`` (``{{prompt}}``/``{{negative}}`` may also sit inside a
  longer string, e.g. ``"masterpiece, {{prompt}}"``); ``"seed": "{{seed}}"`` is replaced by a number;
- a node title: ``"_meta": {"title": "studio:prompt"}`` fills that node's natural input (``text`` for
  prompts, ``seed``/``noise_seed``, ``image``, ``lora_name``…); ``studio:<marker>:<input>`` names it.
Markers: prompt, negative, seed, image, lora, width, height, steps, cfg. A template needs a prompt
marker and a node that saves a file (or one titled ``studio:output``).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from anime_studio.engines.base import EngineError
from anime_studio.engines.image.base import LoraSpec

MARKERS = ("prompt", "negative", "seed", "image", "lora", "width", "height", "steps", "cfg")
TEXT_MARKERS = frozenset({"prompt", "negative"})
TITLE_PREFIX = "studio:"
OUTPUT_TITLE = "studio:output"
FILE_OUTPUT_NODES = frozenset(
    {
        "SaveImage",
        "SaveAnimatedPNG",
        "SaveAnimatedWEBP",
        "SaveWEBM",
        "SaveVideo",
        "VHS_VideoCombine",
        "SaveAudio",
        "SaveAudioMP3",
        "SaveAudioOpus",
    }
)
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_]+)\s*\}\}")
_NATURAL_INPUTS: dict[str, tuple[str, ...]] = {
    "prompt": ("text", "prompt", "positive", "tags", "text_g"),
    "negative": ("text", "negative", "text_g"),
    "seed": ("seed", "noise_seed"),
    "image": ("image",),
    "lora": ("lora_name", "lora"),
    "width": ("width",),
    "height": ("height",),
    "steps": ("steps",),
    "cfg": ("cfg",),
}
MAX_NODES = 500


class TemplateError(EngineError):
    """The uploaded workflow cannot be used as a template (the message says why)."""


@dataclass(frozen=True)
class Slot:
    """Where one marker goes: ``value`` replaces the input, ``text`` substitutes inside a string."""

    marker: str
    node_id: str
    input: str
    mode: Literal["value", "text"]


@dataclass(frozen=True)
class Template:
    """A parsed, validated template."""

    workflow: dict[str, Any]
    slots: tuple[Slot, ...]

    @property
    def markers(self) -> list[str]:
        return sorted({slot.marker for slot in self.slots}, key=MARKERS.index)


@dataclass(frozen=True)
class TemplateValues:
    """What one generation puts into the markers."""

    prompt: str
    negative: str = ""
    seed: int = 0
    width: int = 512
    height: int = 512
    steps: int = 25
    cfg: float = 7.0
    image: str | None = None
    lora: LoraSpec | None = None


class TemplateStore(Protocol):
    """Where the engines find studio templates (the database, in the app)."""

    async def load(self, ref: str) -> Template:
        """The template with this id or name; ``EngineError`` if there is none."""
        ...


def parse_template(raw: Any) -> Template:
    """Check the shape of an API-format workflow and find its markers; raises ``TemplateError``."""
    workflow = _unwrap(raw)
    slots: list[Slot] = []
    for node_id, node in workflow.items():
        _check_node(node_id, node)
        slots += _placeholder_slots(node_id, node) + _title_slots(node_id, node)
    if not any(slot.marker == "prompt" for slot in slots):
        raise TemplateError(
            'the workflow has no prompt marker: put "{{prompt}}" in a text input or title a node "studio:prompt"'
        )
    if not any(_is_output(node) for node in workflow.values()):
        raise TemplateError(
            "the workflow saves nothing: it needs a SaveImage/SaveVideo/… node (or one titled studio:output)"
        )
    return Template(workflow=copy.deepcopy(workflow), slots=tuple(_dedupe(slots)))


def _unwrap(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict) and isinstance(raw.get("prompt"), dict) and "class_type" not in raw.get("prompt", {}):
        raw = raw["prompt"]  # a whole POST /prompt body was pasted
    if isinstance(raw, dict) and "nodes" in raw and "links" in raw:
        raise TemplateError("this is ComfyUI's UI format; export the workflow with 'Save (API Format)'")
    if not isinstance(raw, dict) or not raw:
        raise TemplateError("a template must be a non-empty JSON object of nodes (ComfyUI API format)")
    if len(raw) > MAX_NODES:
        raise TemplateError(f"a template may have at most {MAX_NODES} nodes")
    return raw


def _check_node(node_id: str, node: Any) -> None:
    if not isinstance(node, dict) or not isinstance(node.get("class_type"), str) or not node["class_type"]:
        raise TemplateError(f"node {node_id!r} needs a class_type")
    if not isinstance(node.get("inputs", {}), dict):
        raise TemplateError(f"node {node_id!r} ({node['class_type']}): inputs must be an object")
    for name, value in node.get("inputs", {}).items():
        if isinstance(value, list) and not (
            len(value) == 2 and isinstance(value[0], str) and isinstance(value[1], int)
        ):
            raise TemplateError(f"node {node_id!r} input {name}: a link must be [node_id, output_index]")


def _placeholder_slots(node_id: str, node: dict[str, Any]) -> list[Slot]:
    slots = []
    for name, value in node.get("inputs", {}).items():
        if not isinstance(value, str):
            continue
        for marker in _PLACEHOLDER.findall(value):
            marker = marker.lower()
            if marker not in MARKERS:
                raise TemplateError(
                    f"node {node_id!r} input {name}: unknown marker {{{{{marker}}}}} (known: {', '.join(MARKERS)})"
                )
            whole = _PLACEHOLDER.fullmatch(value.strip()) is not None
            if not whole and marker not in TEXT_MARKERS:
                raise TemplateError(f"node {node_id!r} input {name}: {{{{{marker}}}}} must be the whole value")
            slots.append(Slot(marker, node_id, name, "value" if whole and marker not in TEXT_MARKERS else "text"))
    return slots


def _title_slots(node_id: str, node: dict[str, Any]) -> list[Slot]:
    title = str((node.get("_meta") or {}).get("title", "")).strip()
    if not title.lower().startswith(TITLE_PREFIX) or title.lower() == OUTPUT_TITLE:
        return []
    marker, _, input_name = title[len(TITLE_PREFIX) :].partition(":")
    marker = marker.strip().lower()
    if marker not in MARKERS:
        raise TemplateError(
            f"node {node_id!r}: unknown title marker {title!r} (known: studio:{', studio:'.join(MARKERS)})"
        )
    inputs = node.get("inputs", {})
    name = input_name.strip() or next((n for n in _NATURAL_INPUTS[marker] if n in inputs), "")
    if not name:
        raise TemplateError(
            f"node {node_id!r} ({node['class_type']}): say which input {title!r} fills, e.g. studio:{marker}:<input>"
        )
    return [Slot(marker, node_id, name, "value")]


def _dedupe(slots: list[Slot]) -> list[Slot]:
    seen: dict[tuple[str, str, str], Slot] = {}
    for slot in slots:
        seen.setdefault((slot.marker, slot.node_id, slot.input), slot)
    return list(seen.values())


def _is_output(node: dict[str, Any]) -> bool:
    title = str((node.get("_meta") or {}).get("title", "")).strip().lower()
    return node.get("class_type") in FILE_OUTPUT_NODES or title == OUTPUT_TITLE


def apply_template(template: Template, values: TemplateValues) -> dict[str, Any]:
    """A copy of the workflow with every marker filled in; raises if a needed value is missing."""
    workflow = copy.deepcopy(template.workflow)
    for slot in template.slots:
        inputs = workflow[slot.node_id].setdefault("inputs", {})
        if slot.marker == "lora":
            _apply_lora(inputs, slot, values.lora)
        elif slot.mode == "text":
            inputs[slot.input] = _PLACEHOLDER.sub(lambda m: _text(m.group(1), values), str(inputs.get(slot.input, "")))
        else:
            inputs[slot.input] = _value(slot.marker, values)
    return workflow


def _text(marker: str, values: TemplateValues) -> str:
    marker = marker.lower()
    return str(_value(marker, values)) if marker in MARKERS and marker != "lora" else ""


def _value(marker: str, values: TemplateValues) -> Any:
    value = getattr(values, marker)
    if value is None:
        raise EngineError(f"the workflow template needs a value for {{{{{marker}}}}} (e.g. an init image)")
    if marker == "seed":
        return int(value) % 2**64
    return value


def _apply_lora(inputs: dict[str, Any], slot: Slot, lora: LoraSpec | None) -> None:
    if lora is not None:
        inputs[slot.input] = lora.name
        for key, strength in (("strength_model", lora.strength_model), ("strength_clip", lora.strength_clip)):
            if key in inputs:
                inputs[key] = strength
        return
    if isinstance(inputs.get(slot.input), str) and _PLACEHOLDER.search(inputs[slot.input]):
        raise EngineError("the workflow template has a {{lora}} slot but this generation has no LoRA")
    for key in ("strength_model", "strength_clip"):
        if key in inputs:
            inputs[key] = 0.0  # no LoRA for this generation: keep the node, switch it off
