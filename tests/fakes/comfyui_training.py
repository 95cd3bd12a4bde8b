"""ComfyUI's training nodes (``comfy_extras.nodes_train``) for the fake server, as the real ones behave.

- ``LoadImageTextDataSetFromFolder``/``LoadImageDataSetFromFolder`` list the subfolders of ``input/``;
  ``TrainLoraNode.existing_lora`` lists ``models/loras`` plus ``[None]`` and, when the server is set up to
  (``extra_model_paths.yaml`` naming ``output/loras``), the LoRAs it trained itself;
- ``TrainLoraNode`` reports one ``progress`` message per step and fails like torch when the images of an
  unbucketed dataset differ in size; its loss falls with the steps trained so far (the existing LoRA's
  count included) and depends only on the seed and the step, so retraining from scratch repeats it;
- ``SaveLoRA`` writes ``{prefix}_{steps}_steps_{counter:05}_.safetensors`` under ``output/`` and shows
  nothing; ``PreviewAny`` shows its input as text (the loss map as JSON, the step count as a number).
"""

from __future__ import annotations

import json
import math
import random
import re
import struct
from pathlib import Path
from typing import Any

from PIL import Image

DATASET_LOADERS = ("LoadImageTextDataSetFromFolder", "LoadImageDataSetFromFolder")
TRAINING_OUTPUTS = frozenset({"SaveLoRA", "PreviewAny"})
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".webp"})


def fill(schemas: dict[str, Any], input_dir: Path, output_dir: Path, loras: list[str], *, list_trained: bool) -> None:
    """Set the folder and LoRA combos the way a server with this disk would list them."""
    folders = sorted(p.relative_to(input_dir).as_posix() for p in input_dir.rglob("*") if p.is_dir())
    for name in DATASET_LOADERS:
        if name in schemas:
            schemas[name]["input"]["required"]["folder"][1]["options"] = folders
    if "TrainLoraNode" in schemas:
        trained_root = output_dir / "loras"
        trained = (
            sorted(p.relative_to(trained_root).as_posix() for p in trained_root.rglob("*.safetensors"))
            if list_trained and trained_root.is_dir()
            else []
        )
        options = [*loras, *trained, "[None]"]
        schemas["TrainLoraNode"]["input"]["required"]["existing_lora"][1]["options"] = options
        for loader in ("LoraLoader", "LoraLoaderModelOnly"):  # the same ``loras`` folder list
            if loader in schemas and trained:
                config = schemas[loader]["input"]["required"]["lora_name"]
                config[0] = sorted({*config[0], *trained})


def existing_steps(name: str) -> int:
    match = re.search(r"_(\d+)_steps_", name)
    return int(match.group(1)) if match else 0


def losses(inputs: dict[str, Any]) -> list[float]:
    start = existing_steps(str(inputs.get("existing_lora", "")))
    seed = int(inputs.get("seed", 0))
    values = []
    for step in range(start, start + int(inputs["steps"])):
        noise = random.Random(seed * 1_000_003 + step).uniform(-0.01, 0.01)
        values.append(round(0.08 + 0.3 * math.exp(-step / 12) + noise, 6))
    return values


def total_steps(inputs: dict[str, Any]) -> int:
    return existing_steps(str(inputs.get("existing_lora", ""))) + int(inputs["steps"])


def dataset_problem(prompt: dict[str, Any], node: dict[str, Any], input_dir: Path) -> str | None:
    """What torch would raise training on this dataset (an empty folder, images of different sizes)."""
    if node["class_type"] != "TrainLoraNode" or node["inputs"].get("bucket_mode"):
        return None
    encoded = prompt[str(node["inputs"]["latents"][0])]
    loader = prompt[str(encoded["inputs"]["images"][0])]
    folder = input_dir / str(loader["inputs"]["folder"])
    images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
    if not images:
        return f"No images found in {folder}"
    sizes = set()
    for path in images:
        with Image.open(path) as image:
            sizes.add(image.size)
    if len(sizes) > 1:
        return "stack expects each tensor to be equal size, but got different latent sizes"
    return None


def output(node: dict[str, Any], prompt: dict[str, Any], output_dir: Path) -> dict[str, Any] | None:
    """Run an output node of the training family; returns its ``ui`` (None for ``SaveLoRA``)."""
    inputs = node["inputs"]
    if node["class_type"] == "PreviewAny":
        source = inputs["source"]
        upstream = prompt[str(source[0])]
        if upstream["class_type"] == "TrainLoraNode" and source[1] == 2:
            return {"text": [json.dumps({"loss": losses(upstream["inputs"])})]}
        if upstream["class_type"] == "TrainLoraNode" and source[1] == 3:
            return {"text": [str(total_steps(upstream["inputs"]))]}
        return {"text": ["None"]}
    trainer = prompt[str(inputs["lora"][0])]["inputs"]
    steps = total_steps(trainer)
    folder, _, stem = str(inputs["prefix"]).rpartition("/")
    target_dir = output_dir / folder
    target_dir.mkdir(parents=True, exist_ok=True)
    counter = 1
    while (target := target_dir / f"{stem}_{steps}_steps_{counter:05}_.safetensors").exists():
        counter += 1
    write_lora(target, int(trainer["rank"]), steps)
    return None


def write_lora(path: Path, rank: int, steps: int) -> None:
    """A real safetensors file with one LoRA pair in kohya's key names (what ``LoraLoader`` reads)."""
    base = "lora_unet_down_blocks_0_attentions_0_proj_in"
    size = rank * 4 * 4
    header = {
        f"{base}.lora_down.weight": {"dtype": "F32", "shape": [rank, 4], "data_offsets": [0, size]},
        f"{base}.lora_up.weight": {"dtype": "F32", "shape": [4, rank], "data_offsets": [size, 2 * size]},
        f"{base}.alpha": {"dtype": "F32", "shape": [], "data_offsets": [2 * size, 2 * size + 4]},
        "__metadata__": {"ss_steps": str(steps)},
    }
    raw = json.dumps(header).encode()
    raw += b" " * (-len(raw) % 8)
    rng = random.Random(steps)
    values = [rng.uniform(-0.1, 0.1) for _ in range(rank * 8)] + [float(rank)]
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + struct.pack(f"<{len(values)}f", *values))
