"""Build the diffusers models of a single-file SD1.5/SDXL checkpoint (original LDM layout) with no network access.

The model configs ship with this package (``configs/``); a folder named after the checkpoint, or the configured
components folder, may hold ``unet/config.json``-style overrides and must hold the tokenizers (``tokenizer/``,
and ``tokenizer_2/`` for SDXL): the checkpoint itself carries none.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import torch
from accelerate import init_empty_weights
from diffusers import AutoencoderKL, UNet2DConditionModel
from diffusers.loaders.single_file_utils import (
    convert_ldm_clip_checkpoint,
    convert_ldm_unet_checkpoint,
    convert_ldm_vae_checkpoint,
    convert_open_clip_checkpoint,
)
from safetensors.torch import load_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection, CLIPTokenizer

from anime_studio.engines.base import EngineError
from anime_studio.engines.training.base import Family

_UNET_PREFIX = "model.diffusion_model."
_OPEN_CLIP_PREFIX = "conditioner.embedders.1.model."


@dataclass
class Components:
    unet: UNet2DConditionModel
    vae: AutoencoderKL
    text_encoders: list[Any]  # CLIPTextModel, and CLIPTextModelWithProjection for SDXL
    tokenizers: list[CLIPTokenizer]


def search_folders(checkpoint: Path, family: Family, components_dir: Path | None) -> list[Path]:
    """Where tokenizers and config overrides are looked for, first match wins."""
    folders = [checkpoint.with_suffix("")]
    if components_dir is not None:
        folders.append(components_dir / family)
    return folders


def load_components(checkpoint: Path, family: Family, folders: list[Path]) -> Components:
    """Every model of the checkpoint on the CPU in float32, weights converted from the LDM layout."""
    tokenizer_names = ["tokenizer"] if family == "sd15" else ["tokenizer", "tokenizer_2"]
    tokenizers = [_tokenizer(name, folders) for name in tokenizer_names]  # cheap, so a missing one fails first
    state = _read_checkpoint(checkpoint)
    unet_config = _config("unet", family, folders)
    unet = _build(UNet2DConditionModel.from_config, unet_config)
    _load(unet, convert_ldm_unet_checkpoint(state, unet_config), "UNet", checkpoint)
    vae_config = _config("vae", family, folders)
    vae = _build(AutoencoderKL.from_config, vae_config)
    _load(vae, convert_ldm_vae_checkpoint(state, vae_config), "VAE", checkpoint)
    text_encoder = _build(CLIPTextModel, CLIPTextConfig(**_config("text_encoder", family, folders)))
    _load(text_encoder, convert_ldm_clip_checkpoint(state), "text encoder", checkpoint)
    encoders: list[Any] = [text_encoder]
    if family == "sdxl":
        config_2 = CLIPTextConfig(**_config("text_encoder_2", family, folders))
        text_encoder_2 = _build(CLIPTextModelWithProjection, config_2)
        if not any(key.startswith(_OPEN_CLIP_PREFIX) for key in state):
            raise EngineError(f"{checkpoint.name} has no second text encoder: is it really an SDXL checkpoint?")
        _load(
            text_encoder_2,
            convert_open_clip_checkpoint(text_encoder_2, state, _OPEN_CLIP_PREFIX),
            "text encoder 2",
            checkpoint,
        )
        encoders.append(text_encoder_2)
    return Components(unet, vae, encoders, tokenizers)


def _read_checkpoint(checkpoint: Path) -> dict[str, torch.Tensor]:
    try:
        state = load_file(str(checkpoint))
    except (OSError, ValueError, RuntimeError) as exc:
        raise EngineError(f"cannot read checkpoint {checkpoint.name}: {exc}") from exc
    except Exception as exc:  # safetensors raises its own SafetensorError for a damaged header
        raise EngineError(f"cannot read checkpoint {checkpoint.name}: {exc}") from exc
    if not any(key.startswith(_UNET_PREFIX) for key in state):
        raise EngineError(
            f"{checkpoint.name} is not a single-file Stable Diffusion checkpoint in the original layout "
            f"(no {_UNET_PREFIX}* weights)"
        )
    return state


def _config(component: str, family: Family, folders: list[Path]) -> dict[str, Any]:
    for folder in folders:
        override = folder / component / "config.json"
        if override.is_file():
            loaded: dict[str, Any] = json.loads(override.read_text())
            return loaded
    bundled = resources.files(__package__).joinpath("configs", f"{family}_{component}.json")
    config: dict[str, Any] = json.loads(bundled.read_text())
    return config


def _tokenizer(name: str, folders: list[Path]) -> CLIPTokenizer:
    for folder in folders:
        if (folder / name / "vocab.json").is_file():
            tokenizer: CLIPTokenizer = CLIPTokenizer.from_pretrained(str(folder / name), local_files_only=True)
            return tokenizer
    looked = ", ".join(str(folder / name) for folder in folders)
    raise EngineError(
        f"no {name} (vocab.json + merges.txt) found; the checkpoint carries none, put one in one of: {looked}"
    )


def _build(factory: Any, config: Any) -> Any:
    # Empty weights: the checkpoint overwrites every parameter, so random initialisation would be wasted time.
    with init_empty_weights():
        return factory(config)


def _load(model: torch.nn.Module, weights: dict[str, torch.Tensor], what: str, checkpoint: Path) -> None:
    expected = model.state_dict()
    if not any(key.startswith("text_model.") for key in expected):
        # transformers 5 dropped the text_model level of CLIPTextModel that checkpoints still name.
        weights = {key.removeprefix("text_model."): value for key, value in weights.items()}
    weights = {key: value for key, value in weights.items() if key in expected}
    missing = [key for key in expected if key not in weights and not key.endswith("position_ids")]
    if missing:
        raise EngineError(
            f"{checkpoint.name}: the {what} does not match the expected model ({len(missing)} weights missing, "
            f"e.g. {missing[0]}); put the right config.json beside the checkpoint"
        )
    for key, value in weights.items():
        if value.shape != expected[key].shape:
            raise EngineError(f"{checkpoint.name}: the {what} weight {key} has shape {tuple(value.shape)}")
    model.load_state_dict(weights, strict=False, assign=True)
    if any(param.dtype != torch.float32 for param in model.parameters()):
        model.to(torch.float32)  # half-precision checkpoints: the loop chooses the training precision itself
