"""A tiny SDXL-shaped checkpoint: both text encoders from the original layout, training, lora_te1_/lora_te2_ files."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from diffusers import EulerDiscreteScheduler, StableDiffusionXLPipeline
from peft.tuners.lora import LoraLayer
from safetensors.torch import load_file
from transformers import CLIPTokenizer

from anime_studio.engines.training.diffusers.components import load_components, search_folders
from anime_studio.engines.training.diffusers.engine import DiffusersTrainer, TrainerOptions
from tests.engines.training import tiny
from tests.engines.training.conftest import Recorder, Setup, settings

# One worker runs every training test: torch's two threads per process would fight over the same cores.
pytestmark = pytest.mark.xdist_group("torch-training")


async def test_sdxl_loads_trains_and_names_both_text_encoders(setup: Setup, tmp_path: Path) -> None:
    checkpoint = tiny.write_sdxl_checkpoint(tmp_path)
    parts = load_components(checkpoint, "sdxl", search_folders(checkpoint, "sdxl", None))
    loaded = [parts.unet, parts.vae, *parts.text_encoders]
    for original, model in zip(tiny.build_sdxl_models(), loaded, strict=True):
        expected, actual = original.state_dict(), model.state_dict()
        assert all(torch.equal(expected[k], actual[k]) for k in expected), type(original).__name__

    recorder = Recorder()
    trainer = DiffusersTrainer(TrainerOptions(checkpoints_dir=tmp_path, device="cpu"))
    results = await trainer.train(
        dataset=setup.dataset,
        settings=settings(checkpoint=checkpoint.name, family="sdxl", epochs=1),
        out_dir=tmp_path / "out",
        on_progress=recorder.on_progress,
        on_epoch=recorder.on_epoch,
        should_stop=recorder.should_stop,
    )
    assert [r.epoch for r in results] == [1] and results[0].steps == 6
    names = {key.split(".")[0] for key in load_file(str(results[0].path))}
    assert {name.split("_text_model")[0] for name in names if name.startswith("lora_te")} == {"lora_te1", "lora_te2"}
    assert all(
        n.startswith(("lora_unet_", "lora_te1_text_model_encoder_layers_", "lora_te2_text_model_")) for n in names
    )

    pipe = _fresh_pipeline(checkpoint)
    latents, context = torch.randn((1, 4, 8, 8)), torch.randn((1, 77, 64))
    extra = {"text_embeds": torch.randn((1, 32)), "time_ids": torch.tensor([[64.0, 64.0, 0.0, 0.0, 64.0, 64.0]])}
    with torch.no_grad():
        before = pipe.unet(latents, 500, context, added_cond_kwargs=extra).sample
    pipe.load_lora_weights(str(results[0].path))
    with torch.no_grad():
        after = pipe.unet(latents, 500, context, added_cond_kwargs=extra).sample
    assert not torch.allclose(before, after, atol=1e-5)
    unet_keys = [n for n in names if n.startswith("lora_unet_")]
    assert len([m for m in pipe.unet.modules() if isinstance(m, LoraLayer)]) == len(unet_keys)


def _fresh_pipeline(checkpoint: Path) -> StableDiffusionXLPipeline:
    unet, vae, first, second = tiny.build_sdxl_models()
    folder = checkpoint.with_suffix("")
    tokenizers = [
        CLIPTokenizer.from_pretrained(str(folder / n), local_files_only=True) for n in ("tokenizer", "tokenizer_2")
    ]
    return StableDiffusionXLPipeline(
        vae=vae,
        text_encoder=first,
        text_encoder_2=second,
        tokenizer=tokenizers[0],
        tokenizer_2=tokenizers[1],
        unet=unet,
        scheduler=EulerDiscreteScheduler(),
    )
