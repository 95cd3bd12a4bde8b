"""The local LoRA trainer on a tiny SD1.5-shaped model on the CPU: loss, epoch files, ComfyUI keys, cancel, resume."""

from __future__ import annotations

import asyncio
import hashlib
import re
from pathlib import Path

import pytest
import torch
from diffusers import DDPMScheduler, StableDiffusionPipeline
from peft.tuners.lora import LoraLayer
from safetensors import safe_open
from safetensors.torch import load_file
from transformers import CLIPTokenizer

from anime_studio.engines.training.base import ResumeFrom, TrainingCancelled
from anime_studio.engines.training.diffusers.components import load_components, search_folders
from tests.engines.training import tiny
from tests.engines.training.conftest import Recorder, Setup, settings

# One worker runs every training test: torch's two threads per process would fight over the same cores.
pytestmark = pytest.mark.xdist_group("torch-training")

# ComfyUI maps text-encoder LoRA keys only for these layers of each CLIP encoder layer (comfy/lora.py).
COMFY_TEXT_KEY = re.compile(
    r"^lora_te_text_model_encoder_layers_(\d+)_(mlp_fc1|mlp_fc2|self_attn_[qkv]_proj|self_attn_out_proj)$"
)


def test_the_single_file_checkpoint_loads_weight_for_weight(setup: Setup) -> None:
    parts = load_components(setup.checkpoint, "sd15", search_folders(setup.checkpoint, "sd15", None))
    originals = tiny.build_models()
    for original, loaded in zip(originals, [parts.unet, parts.vae, parts.text_encoders[0]], strict=True):
        expected, actual = original.state_dict(), loaded.state_dict()
        assert set(expected) <= set(actual)
        assert all(torch.equal(expected[k], actual[k]) for k in expected)


async def test_the_loss_falls_over_the_epochs(trained: Recorder) -> None:
    assert [r.epoch for r in trained.epochs] == [1, 2, 3]
    assert [r.steps for r in trained.epochs] == [6, 6, 6]
    stepped = [p for p in trained.progress if p.loss is not None]
    assert [p.step for p in stepped] == list(range(1, 19))
    assert {p.total_steps for p in stepped} == {18}
    first, last = trained.epochs[0].loss, trained.epochs[-1].loss
    assert last < 0.9 * first, [r.loss for r in trained.epochs]


async def test_every_epoch_file_loads_in_diffusers_and_changes_the_unet(trained: Recorder, setup: Setup) -> None:
    latents = torch.randn((1, 4, 8, 8), generator=torch.Generator().manual_seed(3))
    context = torch.randn((1, 77, 32), generator=torch.Generator().manual_seed(4))
    outputs = []
    for result in trained.epochs:
        assert hashlib.sha256(result.path.read_bytes()).hexdigest() == trained.digests[result.epoch]
        pipe = _fresh_pipeline(setup)
        with torch.no_grad():
            before = pipe.unet(latents, 500, context).sample
        pipe.load_lora_weights(str(result.path))
        with torch.no_grad():
            after = pipe.unet(latents, 500, context).sample
        assert not torch.allclose(before, after, atol=1e-5)
        layers = [m for m in pipe.unet.modules() if isinstance(m, LoraLayer)]
        unet_keys = [k for k in load_file(str(result.path)) if k.startswith("lora_unet_") and k.endswith(".alpha")]
        assert len(layers) == len(unet_keys)  # every UNet key found its layer
        outputs.append(after)
    assert not torch.allclose(outputs[0], outputs[-1], atol=1e-5)  # later epochs are different weights


async def test_every_key_maps_to_a_module_under_comfyui_rules(trained: Recorder, setup: Setup) -> None:
    unet, _, text = tiny.build_models()
    with safe_open(str(setup.checkpoint), "pt") as checkpoint:
        ldm_keys = set(checkpoint.keys())
    unet_modules = {name.replace(".", "_"): name for name, module in unet.named_modules() if hasattr(module, "weight")}
    text_weights = {k.removeprefix("text_model."): v for k, v in text.named_parameters()}
    path = trained.epochs[-1].path
    tensors = load_file(str(path))
    names = {k.rsplit(".", 2)[0] if k.endswith(".weight") else k.rsplit(".", 1)[0] for k in tensors}
    assert any(n.startswith("lora_te_") for n in names) and any(n.startswith("lora_unet_") for n in names)
    for name in names:
        down, up = tensors[f"{name}.lora_down.weight"], tensors[f"{name}.lora_up.weight"]
        assert tensors[f"{name}.alpha"].item() == 4.0
        assert down.shape[0] == up.shape[1] == 4
        if name.startswith("lora_unet_"):
            key = name.removeprefix("lora_unet_")
            # ComfyUI: lora_unet_{diffusers path} → diffusion_model.{LDM path}, which must exist in the checkpoint.
            module_name = unet_modules[key]
            assert f"model.diffusion_model.{tiny.unet_key(f'{module_name}.weight')}" in ldm_keys, name
            target = unet.get_submodule(module_name).weight
        else:
            match = COMFY_TEXT_KEY.match(name)
            assert match, name
            layer, part = match.groups()
            module = part.replace("mlp_", "mlp.").replace("self_attn_", "self_attn.")
            target = text_weights[f"encoder.layers.{layer}.{module}.weight"]
        assert up.shape[0] == target.shape[0] and down.shape[1] == target.shape[1], name
    with safe_open(str(path), "pt") as opened:
        metadata = opened.metadata()
    assert metadata["ss_network_dim"] == "4" and metadata["ss_base_model_version"] == "sd_v1"


async def test_cancel_mid_epoch_keeps_the_finished_epoch_and_resume_continues(setup: Setup, tmp_path: Path) -> None:
    recorder = Recorder(stop_after=8)  # epoch 2, step 2 of 6
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    beat = asyncio.create_task(ticker())
    with pytest.raises(TrainingCancelled):
        await setup.trainer.train(
            dataset=setup.dataset,
            settings=settings(),
            out_dir=tmp_path,
            on_progress=recorder.on_progress,
            on_epoch=recorder.on_epoch,
            should_stop=recorder.should_stop,
        )
    beat.cancel()
    assert ticks > 20  # the event loop kept running while the steps ran on the worker thread
    assert [r.epoch for r in recorder.epochs] == [1]
    first = recorder.epochs[0].path
    assert sorted(p.name for p in tmp_path.iterdir()) == [first.name]  # no half-written epoch 2
    assert hashlib.sha256(first.read_bytes()).hexdigest() == recorder.digests[1]
    assert load_file(str(first))

    resumed = Recorder()
    results = await setup.trainer.train(
        dataset=setup.dataset,
        settings=settings(),
        out_dir=tmp_path,
        on_progress=resumed.on_progress,
        on_epoch=resumed.on_epoch,
        should_stop=resumed.should_stop,
        resume=ResumeFrom(epoch=1, path=first),
    )
    assert [r.epoch for r in results] == [2, 3]
    assert next(p.step for p in resumed.progress if p.loss is not None) == 7
    # Resumed from the trained weights, not from scratch: epoch 2 starts well below the first epoch's loss.
    assert results[0].loss < recorder.epochs[0].loss
    assert hashlib.sha256(first.read_bytes()).hexdigest() == recorder.digests[1]


def _fresh_pipeline(setup: Setup) -> StableDiffusionPipeline:
    unet, vae, text = tiny.build_models()
    tokenizer = CLIPTokenizer.from_pretrained(
        str(setup.checkpoint.with_suffix("") / "tokenizer"), local_files_only=True
    )
    return StableDiffusionPipeline(
        vae=vae,
        text_encoder=text,
        tokenizer=tokenizer,
        unet=unet,
        scheduler=DDPMScheduler(steps_offset=1, clip_sample=False),
        safety_checker=None,
        feature_extractor=None,
        requires_safety_checker=False,
    )
