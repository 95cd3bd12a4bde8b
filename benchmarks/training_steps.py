"""LoRA training steps per second of the local ``diffusers`` trainer on the CPU.

1. ``tiny``: the whole engine (checkpoint loading, latent caching, kohya-named epoch files) on the tests' tiny
   SD1.5-shaped model, 64 px, batch 2; steps/s counts only the training steps.
2. ``sd15_unet_512``: one training step of a full-size SD1.5 UNet (the bundled config, random weights, LoRA rank 16
   on the same layers the trainer targets) on a 64x64 latent (512 px), batch 1: forward, backward, AdamW. The text
   encoder and VAE are left out (the VAE runs once per image, the text encoder is ~3 % of the UNet's work).
   Skipped with ``--tiny-only``.
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import torch
from diffusers import DDPMScheduler, UNet2DConditionModel

from anime_studio.engines.training.base import EpochResult, TrainingProgress, TrainingSettings
from anime_studio.engines.training.diffusers import kohya
from anime_studio.engines.training.diffusers.engine import DiffusersTrainer, TrainerOptions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.engines.training import tiny


async def tiny_run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "models").mkdir()
        tiny.write_checkpoint(root / "models")
        dataset = tiny.write_dataset(root / "dataset")
        stamps: list[float] = []

        async def on_progress(progress: TrainingProgress) -> None:
            if progress.loss is not None:
                stamps.append(time.perf_counter())

        async def on_epoch(result: EpochResult) -> None:
            print(f"tiny_epoch_{result.epoch}_loss: {result.loss:.4f}")

        async def never() -> bool:
            return False

        settings = TrainingSettings(
            checkpoint="tiny.safetensors",
            family="sd15",
            trigger_word="tinychar",
            rank=4,
            alpha=4.0,
            learning_rate=2e-2,
            epochs=3,
            batch_size=2,
            resolution=64,
            seed=1,
        )
        started = time.perf_counter()
        trainer = DiffusersTrainer(TrainerOptions(checkpoints_dir=root / "models", device="cpu"))
        await trainer.train(
            dataset=dataset,
            settings=settings,
            out_dir=root / "out",
            on_progress=on_progress,
            on_epoch=on_epoch,
            should_stop=never,
        )
        total = time.perf_counter() - started
        # Steps/s from the first to the last step (epoch saves included), so loading and caching are excluded.
        print(f"tiny_steps_per_s: {(len(stamps) - 1) / (stamps[-1] - stamps[0]):.2f}")
        print(f"tiny_run_total_s: {total:.2f} ({len(stamps)} steps, incl. loading and latent caching)")


def sd15_unet_step(steps: int = 3) -> None:
    config = json.loads(
        resources.files("anime_studio.engines.training.diffusers").joinpath("configs", "sd15_unet.json").read_text()
    )
    torch.manual_seed(0)
    unet = UNet2DConditionModel.from_config(config)
    unet.requires_grad_(False)
    kohya.add_lora(unet, targets=kohya.UNET_TARGETS, rank=16, alpha=16.0)
    params = [p for p in unet.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-4)
    schedule = DDPMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")
    latents, context = torch.randn(1, 4, 64, 64), torch.randn(1, 77, 768)
    total, lora = sum(p.numel() for p in unet.parameters()), sum(p.numel() for p in params)
    print(f"sd15_unet_params_m: {total / 1e6:.0f} (LoRA {lora / 1e6:.1f})")
    times = []
    for _ in range(steps):
        started = time.perf_counter()
        noise = torch.randn_like(latents)
        timesteps = torch.randint(0, 1000, (1,))
        predicted = unet(schedule.add_noise(latents, noise, timesteps), timesteps, context).sample
        torch.nn.functional.mse_loss(predicted, noise).backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        times.append(time.perf_counter() - started)
    # The first step pays one-off allocation; report the best of the rest.
    best = min(times[1:]) if len(times) > 1 else times[0]
    print(f"sd15_unet_512_s_per_step: {best:.1f} (steps: {', '.join(f'{t:.1f}' for t in times)})")
    print(f"sd15_unet_512_steps_per_s: {1 / best:.3f}")


def main() -> None:
    print(f"torch: {torch.__version__}, threads: {torch.get_num_threads()}")
    asyncio.run(tiny_run())
    if "--tiny-only" not in sys.argv:
        sd15_unet_step()


if __name__ == "__main__":
    main()
