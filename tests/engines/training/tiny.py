"""A tiny SD1.5-shaped model written as a single-file checkpoint in the original (LDM) layout, plus its tokenizer.

The diffusers → LDM key mapping below is written from the layout itself (the loader under test converts back
with diffusers' own converter, so a mistake on either side shows up as a failed round trip).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
from diffusers import AutoencoderKL, UNet2DConditionModel
from PIL import Image
from safetensors.torch import save_file
from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

UNET = {
    "block_out_channels": [32, 64],
    "layers_per_block": 1,
    "down_block_types": ["CrossAttnDownBlock2D", "DownBlock2D"],
    "up_block_types": ["UpBlock2D", "CrossAttnUpBlock2D"],
    "cross_attention_dim": 32,
    "attention_head_dim": 8,
    "norm_num_groups": 8,
    "sample_size": 8,
    "in_channels": 4,
    "out_channels": 4,
}
VAE = {
    "block_out_channels": [16, 32, 32],
    "down_block_types": ["DownEncoderBlock2D"] * 3,
    "up_block_types": ["UpDecoderBlock2D"] * 3,
    "layers_per_block": 1,
    "norm_num_groups": 8,
    "latent_channels": 4,
    "sample_size": 64,
}
TEXT = {
    "hidden_size": 32,
    "intermediate_size": 64,
    "num_attention_heads": 4,
    "num_hidden_layers": 2,
    "max_position_embeddings": 77,
    "vocab_size": 514,
    "projection_dim": 32,
    "bos_token_id": 512,
    "eos_token_id": 513,
    "pad_token_id": 513,
}
UNET_XL = {
    **UNET,
    "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D"],
    "up_block_types": ["CrossAttnUpBlock2D", "UpBlock2D"],
    "cross_attention_dim": 64,  # both text encoders' hidden states side by side
    "addition_embed_type": "text_time",
    "addition_time_embed_dim": 8,
    "projection_class_embeddings_input_dim": 32 + 6 * 8,  # pooled text + six size/crop numbers
    "use_linear_projection": True,
}
_RESNET = {
    "norm1": "in_layers.0",
    "conv1": "in_layers.2",
    "time_emb_proj": "emb_layers.1",
    "norm2": "out_layers.0",
    "conv2": "out_layers.3",
    "conv_shortcut": "skip_connection",
}
_VAE_ATTENTION = {"group_norm": "norm", "to_q": "q", "to_k": "k", "to_v": "v", "to_out.0": "proj_out"}


def build_models(seed: int = 0) -> tuple[UNet2DConditionModel, AutoencoderKL, CLIPTextModel]:
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**UNET)  # type: ignore[arg-type]
    vae = AutoencoderKL(**VAE)  # type: ignore[arg-type]
    text = CLIPTextModel(CLIPTextConfig(**TEXT))
    return unet, vae, text


def write_checkpoint(folder: Path, name: str = "tiny.safetensors", seed: int = 0) -> Path:
    """The checkpoint plus ``{stem}/`` with the tokenizer and the tiny configs the loader must find there."""
    unet, vae, text = build_models(seed)
    state = {f"model.diffusion_model.{unet_key(k)}": v for k, v in unet.state_dict().items()}
    state.update(_vae_state(vae))
    state.update({f"cond_stage_model.transformer.{k}": v for k, v in _clip_state(text).items()})
    return _write(folder / name, state, {"unet": UNET, "vae": VAE, "text_encoder": TEXT}, ["tokenizer"])


def build_sdxl_models(seed: int = 0) -> tuple[UNet2DConditionModel, AutoencoderKL, CLIPTextModel, CLIPTextModel]:
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(**UNET_XL)  # type: ignore[arg-type]
    vae = AutoencoderKL(**VAE)  # type: ignore[arg-type]
    return unet, vae, CLIPTextModel(CLIPTextConfig(**TEXT)), CLIPTextModelWithProjection(CLIPTextConfig(**TEXT))


def write_sdxl_checkpoint(folder: Path, name: str = "tinyxl.safetensors", seed: int = 0) -> Path:
    """SDXL's layout: CLIP-L under ``conditioner.embedders.0``, the OpenCLIP-style encoder under ``.1.model``."""
    unet, vae, first, second = build_sdxl_models(seed)
    state = {f"model.diffusion_model.{unet_key(k, UNET_XL)}": v for k, v in unet.state_dict().items()}
    state.update(_vae_state(vae))
    state.update({f"conditioner.embedders.0.transformer.{k}": v for k, v in _clip_state(first).items()})
    state.update({f"conditioner.embedders.1.model.{k}": v for k, v in _open_clip_state(second).items()})
    configs = {"unet": UNET_XL, "vae": VAE, "text_encoder": TEXT, "text_encoder_2": TEXT}
    return _write(folder / name, state, configs, ["tokenizer", "tokenizer_2"])


def _write(
    path: Path, state: dict[str, torch.Tensor], configs: dict[str, dict[str, object]], tokenizers: list[str]
) -> Path:
    save_file({k: v.contiguous() for k, v in state.items()}, str(path))
    components = path.with_suffix("")
    for part, config in configs.items():
        (components / part).mkdir(parents=True, exist_ok=True)
        (components / part / "config.json").write_text(json.dumps(config))
    for tokenizer in tokenizers:
        write_tokenizer(components / tokenizer)
    return path


def _vae_state(vae: AutoencoderKL) -> dict[str, torch.Tensor]:
    state = {}
    for key, value in vae.state_dict().items():
        ldm, is_attention = _vae_key(key)
        if is_attention and value.ndim == 2:
            value = value[:, :, None, None]  # the original VAE's attention uses 1x1 convolutions
        state[f"first_stage_model.{ldm}"] = value
    return state


def _clip_state(text: torch.nn.Module) -> dict[str, torch.Tensor]:
    # Checkpoints name the CLIP weights text_model.…, whichever nesting the installed transformers uses.
    return {k if k.startswith("text_model.") else f"text_model.{k}": v for k, v in text.state_dict().items()}


def _open_clip_state(text: torch.nn.Module) -> dict[str, torch.Tensor]:
    """OpenCLIP names: one packed q/k/v projection per layer, a transposed text projection."""
    source = {k.removeprefix("text_model."): v for k, v in text.state_dict().items()}
    state = {
        "token_embedding.weight": source["embeddings.token_embedding.weight"],
        "positional_embedding": source["embeddings.position_embedding.weight"],
        "ln_final.weight": source["final_layer_norm.weight"],
        "ln_final.bias": source["final_layer_norm.bias"],
        "text_projection": source["text_projection.weight"].T,
    }
    renames = {"layer_norm1": "ln_1", "layer_norm2": "ln_2", "mlp.fc1": "mlp.c_fc", "mlp.fc2": "mlp.c_proj"}
    for index in range(int(TEXT["num_hidden_layers"])):  # type: ignore[call-overload]
        layer, block = f"encoder.layers.{index}", f"transformer.resblocks.{index}"
        for tail in ("weight", "bias"):
            packed = [source[f"{layer}.self_attn.{p}_proj.{tail}"] for p in "qkv"]
            state[f"{block}.attn.in_proj_{tail}"] = torch.cat(packed)
            state[f"{block}.attn.out_proj.{tail}"] = source[f"{layer}.self_attn.out_proj.{tail}"]
            for ours, theirs in renames.items():
                state[f"{block}.{theirs}.{tail}"] = source[f"{layer}.{ours}.{tail}"]
    return state


def write_tokenizer(folder: Path) -> None:
    """A byte-level CLIP BPE vocabulary with no merges: every character is one token (514 in all)."""
    folder.mkdir(parents=True, exist_ok=True)
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    chars, extra = [], 0
    for byte in range(256):
        if byte in printable:
            chars.append(chr(byte))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    tokens = [*chars, *(c + "</w>" for c in chars), "<|startoftext|>", "<|endoftext|>"]
    (folder / "vocab.json").write_text(json.dumps({t: i for i, t in enumerate(tokens)}))
    (folder / "merges.txt").write_text("#version: 0.2\n")


def write_dataset(folder: Path, trigger: str = "tinychar", repeats: int = 2) -> Path:
    """Six images of three shapes (square, portrait, landscape) in ``{repeats}_{trigger}/`` with captions."""
    images = folder / f"{repeats}_{trigger}"
    images.mkdir(parents=True)
    sizes = [(64, 64), (64, 64), (64, 64), (48, 80), (48, 80), (80, 48)]
    rng = np.random.default_rng(7)
    for index, (width, height) in enumerate(sizes):
        y, x = np.mgrid[0:height, 0:width]
        colour = rng.uniform(0, 255, 3)
        pattern = (np.sin(x / (3 + index)) * np.cos(y / 5) + 1) / 2
        pixels = (pattern[..., None] * colour).astype(np.uint8)
        Image.fromarray(pixels).save(images / f"{index:06d}.png")
        (images / f"{index:06d}.txt").write_text(f"{trigger}, pattern {index}, red hair")
    return folder


def unet_key(key: str, config: dict[str, object] = UNET) -> str:
    layers = config["layers_per_block"]
    assert isinstance(layers, int)
    parts = key.split(".")
    simple = {
        "conv_in": "input_blocks.0.0",
        "time_embedding": "time_embed",
        "add_embedding": "label_emb.0",
        "conv_norm_out": "out.0",
        "conv_out": "out.2",
    }
    if parts[0] in simple:
        head = simple[parts[0]]
        if parts[0] in ("time_embedding", "add_embedding"):
            head += ".0" if parts[1] == "linear_1" else ".2"
            return f"{head}.{parts[-1]}"
        return f"{head}.{'.'.join(parts[1:])}"
    if parts[0] == "mid_block":
        index = 1 if parts[1] == "attentions" else 2 * int(parts[2])
        return f"middle_block.{index}.{_inner(parts[1], parts[3:])}"
    block, kind, layer = int(parts[1]), parts[2], int(parts[3])
    rest = parts[4:]
    attention = 1
    if parts[0] == "down_blocks":
        if kind == "downsamplers":
            return f"input_blocks.{(block + 1) * (layers + 1)}.0.op.{'.'.join(rest[1:])}"
        index = 1 + block * (layers + 1) + layer
        return f"input_blocks.{index}.{0 if kind == 'resnets' else attention}.{_inner(kind, rest)}"
    has_attention = config["up_block_types"][block].startswith("CrossAttn")  # type: ignore[index]
    if kind == "upsamplers":
        slot = 2 if has_attention else 1
        return f"output_blocks.{block * (layers + 1) + layers}.{slot}.conv.{'.'.join(rest[1:])}"
    index = block * (layers + 1) + layer
    return f"output_blocks.{index}.{0 if kind == 'resnets' else attention}.{_inner(kind, rest)}"


def _inner(kind: str, rest: list[str]) -> str:
    if kind == "resnets" and rest[0] in _RESNET:
        return f"{_RESNET[rest[0]]}.{'.'.join(rest[1:])}"
    return ".".join(rest)


def _vae_key(key: str) -> tuple[str, bool]:
    parts = key.split(".")
    if parts[0] in ("quant_conv", "post_quant_conv"):
        return key, False
    coder, rest = parts[0], parts[1:]
    blocks = len(VAE["block_out_channels"])  # type: ignore[arg-type]
    if rest[0] in ("conv_in", "conv_out"):
        return key, False
    if rest[0] == "conv_norm_out":
        return f"{coder}.norm_out.{rest[1]}", False
    if rest[0] == "mid_block":
        if rest[1] == "attentions":
            tail = ".".join(rest[3:])
            for ours, theirs in _VAE_ATTENTION.items():
                if tail.startswith(ours + "."):
                    return f"{coder}.mid.attn_1.{theirs}.{tail[len(ours) + 1 :]}", True
        return f"{coder}.mid.block_{int(rest[2]) + 1}.{_vae_resnet(rest[3:])}", False
    block = int(rest[1])
    level, name = (block, "down") if coder == "encoder" else (blocks - 1 - block, "up")
    if rest[2] in ("downsamplers", "upsamplers"):
        return f"{coder}.{name}.{level}.{'downsample' if name == 'down' else 'upsample'}.conv.{rest[-1]}", False
    return f"{coder}.{name}.{level}.block.{rest[3]}.{_vae_resnet(rest[4:])}", False


def _vae_resnet(rest: list[str]) -> str:
    head = "nin_shortcut" if rest[0] == "conv_shortcut" else rest[0]
    return f"{head}.{'.'.join(rest[1:])}"
