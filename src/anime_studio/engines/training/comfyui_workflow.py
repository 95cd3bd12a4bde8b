"""The API-format workflow of one training epoch on ComfyUI's own training nodes (``comfy_extras.nodes_train``).

ComfyUI trains inside one prompt and its ``SaveLoRA`` writes only the final weights, so the studio submits
one prompt per epoch. ``TrainLoraNode`` can only continue from a LoRA its ``existing_lora`` combo lists
(``models/loras``); when the backend lists its own ``output/loras`` there (one ``extra_model_paths.yaml``
line), each epoch continues from the previous one. Otherwise epoch *k* retrains from scratch for *k*
epochs' steps with the same seed, which reproduces the earlier steps, at a quadratic cost.

``PreviewAny`` turns the ``LOSS_MAP`` and the step count into text the history returns: ``SaveLoRA`` and
``LossGraphNode`` show nothing but a file or a picture.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anime_studio.engines.comfyui.workflows.graph import Graph
from anime_studio.engines.training.base import TrainingSettings

NO_LORA = "[None]"
TRAINED_FOLDER = "loras/anime_studio"
"""``SaveLoRA`` prefixes are relative to ComfyUI's ``output/``; ours all sit under this folder."""


@dataclass(frozen=True)
class EpochPlan:
    folder: str
    """The dataset's subfolder of ComfyUI's ``input/`` (what ``LoadImageTextDataSetFromFolder`` lists)."""
    prefix: str
    """``SaveLoRA`` prefix, unique per attempt so the saved name is predictable (counter 00001)."""
    steps: int
    existing_lora: str = NO_LORA


@dataclass(frozen=True)
class EpochNodes:
    train: str
    loss: str
    steps: str


def epoch_workflow(settings: TrainingSettings, plan: EpochPlan) -> tuple[dict[str, Any], EpochNodes]:
    """The graph: checkpoint → dataset → latents + conditioning → TrainLoraNode → SaveLoRA and two previews."""
    graph = Graph()
    checkpoint = graph.add("CheckpointLoaderSimple", ckpt_name=settings.checkpoint)
    dataset = graph.add("LoadImageTextDataSetFromFolder", folder=plan.folder)
    encoded = graph.add(
        "MakeTrainingDataset", images=dataset[0], texts=dataset[1], clip=checkpoint[1], vae=checkpoint[2]
    )
    train = graph.add(
        "TrainLoraNode",
        model=checkpoint[0],
        latents=encoded[0],
        positive=encoded[1],
        batch_size=settings.batch_size,
        grad_accumulation_steps=1,
        steps=plan.steps,
        learning_rate=settings.learning_rate,
        rank=settings.rank,
        optimizer="AdamW",
        loss_function="MSE",
        seed=settings.seed,
        training_dtype="bf16",
        lora_dtype="bf16",
        algorithm="LoRA",
        gradient_checkpointing=True,
        existing_lora=plan.existing_lora,
        bucket_mode=False,
    )
    graph.add("SaveLoRA", lora=train[1], prefix=plan.prefix, steps=train[3])
    loss = graph.add("PreviewAny", source=train[2])
    steps = graph.add("PreviewAny", source=train[3])
    return graph.to_workflow(), EpochNodes(train=train.id, loss=loss.id, steps=steps.id)


def saved_name(prefix: str, steps: int) -> tuple[str, str]:
    """(subfolder, file name) ``SaveLoRA`` writes for ``prefix`` after ``steps`` steps (first of its name)."""
    folder, _, stem = prefix.rpartition("/")
    return folder, f"{stem}_{steps}_steps_00001_.safetensors"
