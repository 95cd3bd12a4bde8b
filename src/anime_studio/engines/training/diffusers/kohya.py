"""LoRA layers on the models, and their files in kohya/sd-scripts naming (what ComfyUI's ``LoraLoader`` reads).

A key is the prefix (``lora_unet_``, ``lora_te_`` or for SDXL ``lora_te1_``/``lora_te2_``) plus the diffusers module
path with dots turned into underscores, then ``.lora_down.weight``, ``.lora_up.weight`` and ``.alpha``.
ComfyUI maps UNet keys through its diffusers-to-LDM table and text-encoder keys only for the attention
projections and MLP layers of each CLIP layer, so those are exactly the modules trained here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch
from peft import LoraConfig, inject_adapter_in_model
from peft.tuners.lora import LoraLayer
from safetensors.torch import load_file, save_file

from anime_studio.engines.base import EngineError
from anime_studio.engines.training.base import Family

# kohya's default LoRA targets: the linear (and 1x1 conv) layers inside the UNet's transformer blocks.
UNET_TARGETS = (
    r".*attentions\.\d+\.(proj_in|proj_out"
    r"|transformer_blocks\.\d+\.(attn1|attn2)\.(to_q|to_k|to_v|to_out\.0)"
    r"|transformer_blocks\.\d+\.ff\.net\.(0\.proj|2))"
)
TEXT_TARGETS = r".*encoder\.layers\.\d+\.(self_attn\.(q_proj|k_proj|v_proj|out_proj)|mlp\.(fc1|fc2))"
ADAPTER = "default"


def add_lora(model: torch.nn.Module, *, targets: str, rank: int, alpha: float) -> None:
    """Attach a fresh LoRA (down random, up zero: the model is unchanged until it trains)."""
    config = LoraConfig(r=rank, lora_alpha=alpha, target_modules=targets, init_lora_weights=True)
    inject_adapter_in_model(config, model, adapter_name=ADAPTER)


def prefixes(family: Family) -> list[str]:
    """The key prefix of each model in ``[unet, text_encoder(, text_encoder_2)]`` order."""
    return ["lora_unet_", "lora_te_"] if family == "sd15" else ["lora_unet_", "lora_te1_", "lora_te2_"]


def lora_layers(model: torch.nn.Module, prefix: str) -> dict[str, LoraLayer]:
    """The model's LoRA layers by their kohya name (without the ``.lora_down.weight`` tail)."""
    return {
        prefix + _path(name, prefix).replace(".", "_"): module
        for name, module in model.named_modules()
        if isinstance(module, LoraLayer) and ADAPTER in module.lora_A
    }


def _path(name: str, prefix: str) -> str:
    # Text-encoder keys are named after the original CLIP layout (text_model.encoder.layers.N…), which
    # transformers 5 no longer nests its CLIPTextModel under.
    if prefix == "lora_unet_" or name.startswith("text_model."):
        return name
    return f"text_model.{name}"


def state_dict(models: list[torch.nn.Module], family: Family, alpha: float) -> dict[str, torch.Tensor]:
    """The trained weights in kohya naming, as float16 (the size every LoRA loader expects)."""
    tensors: dict[str, torch.Tensor] = {}
    for model, prefix in zip(models, prefixes(family), strict=False):
        for key, layer in lora_layers(model, prefix).items():
            down, up = _weights(layer)
            tensors[f"{key}.lora_down.weight"] = down.detach().to("cpu", torch.float16).contiguous()
            tensors[f"{key}.lora_up.weight"] = up.detach().to("cpu", torch.float16).contiguous()
            tensors[f"{key}.alpha"] = torch.tensor(alpha, dtype=torch.float16)
    return tensors


def _weights(layer: Any) -> tuple[torch.Tensor, torch.Tensor]:
    """The (down, up) weights of a peft LoRA layer, linear or 1x1 convolution alike."""
    return layer.lora_A[ADAPTER].weight, layer.lora_B[ADAPTER].weight


def save(tensors: dict[str, torch.Tensor], path: Path, metadata: dict[str, str]) -> None:
    """Write atomically: readers (and a crash) see the previous file or the complete new one, never half."""
    partial = path.with_name(f".{path.name}.partial")
    save_file(tensors, str(partial), metadata=metadata)
    with partial.open("rb") as file:
        os.fsync(file.fileno())
    partial.replace(path)


def load_into(models: list[torch.nn.Module], family: Family, path: Path) -> None:
    """Put a saved epoch's weights back into the LoRA layers (resume); every key must find its layer."""
    try:
        tensors = load_file(str(path))
    except Exception as exc:  # safetensors' own error type for a damaged file
        raise EngineError(f"cannot read the LoRA to resume from ({path.name}): {exc}") from exc
    layers: dict[str, LoraLayer] = {}
    for model, prefix in zip(models, prefixes(family), strict=False):
        layers.update(lora_layers(model, prefix))
    loaded = set()
    for key, layer in layers.items():
        down, up = tensors.get(f"{key}.lora_down.weight"), tensors.get(f"{key}.lora_up.weight")
        if down is None or up is None:
            continue
        target_down, target_up = _weights(layer)
        if down.shape != target_down.shape or up.shape != target_up.shape:
            raise EngineError(f"{path.name} does not fit this model and rank ({key} has another shape)")
        with torch.no_grad():
            target_down.copy_(down)
            target_up.copy_(up)
        loaded.update({f"{key}.lora_down.weight", f"{key}.lora_up.weight", f"{key}.alpha"})
    unknown = sorted(set(tensors) - loaded)
    if unknown or not loaded:
        raise EngineError(f"{path.name} does not fit this model (e.g. {unknown[0] if unknown else 'no LoRA keys'})")
