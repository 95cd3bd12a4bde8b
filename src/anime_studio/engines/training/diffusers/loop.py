"""The training loop itself: blocking, torch-heavy, run on a worker thread by ``engine.DiffusersTrainer``."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import torch
import torch.nn.functional as F
from diffusers import DDPMScheduler

from anime_studio.engines.base import EngineError
from anime_studio.engines.training.base import (
    EpochResult,
    ResumeFrom,
    TrainingCancelled,
    TrainingProgress,
    TrainingSettings,
)
from anime_studio.engines.training.diffusers import kohya
from anime_studio.engines.training.diffusers.components import Components, load_components
from anime_studio.engines.training.diffusers.data import (
    Prepared,
    Sample,
    buckets,
    epoch_batches,
    fit,
    open_rgb,
    steps_per_epoch,
)

_BASE_MODEL = {"sd15": "sd_v1", "sdxl": "sdxl_base_v1-0"}


@dataclass(frozen=True)
class Job:
    checkpoint: Path
    folders: list[Path]
    samples: list[Sample]
    settings: TrainingSettings
    out_dir: Path
    resume: ResumeFrom | None
    device: str
    mixed_precision: str
    train_text_encoder: bool
    gradient_checkpointing: bool


class Bridge(Protocol):
    """The loop's way back to the event loop (each call blocks until the caller's coroutine finished)."""

    def progress(self, progress: TrainingProgress) -> None: ...

    def epoch(self, result: EpochResult) -> None: ...

    def stop(self) -> bool: ...


def epoch_path(out_dir: Path, epoch: int) -> Path:
    return out_dir / f"epoch-{epoch:03d}.safetensors"


def run(job: Job, bridge: Bridge) -> list[EpochResult]:
    s = job.settings
    device = torch.device(job.device)
    dtype = _weight_dtype(job.mixed_precision, device)
    torch.manual_seed(s.seed)
    first_epoch = job.resume.epoch + 1 if job.resume else 1
    bridge.progress(TrainingProgress(0, 0, first_epoch, s.epochs, None, f"loading {job.checkpoint.name}"))
    parts = load_components(job.checkpoint, s.family, job.folders)
    bridge.progress(TrainingProgress(0, 0, first_epoch, s.epochs, None, "encoding the images"))
    items, latents = _cache_latents(parts, job.samples, s, device)
    trained = _prepare_models(parts, job, device, dtype)
    params = [p for model in trained for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=s.learning_rate)
    scaler = torch.amp.GradScaler(device.type, enabled=dtype == torch.float16)
    noise_schedule = DDPMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear")
    per_epoch = steps_per_epoch(items, s.batch_size)
    results = []
    for epoch in range(first_epoch, s.epochs + 1):
        batches = epoch_batches(items, s.batch_size, s.seed, epoch)
        generator = torch.Generator().manual_seed(s.seed * 100_003 + epoch)
        captions = random.Random(s.seed * 100_019 + epoch)
        losses: list[float] = []
        for index, batch in enumerate(batches):
            if bridge.stop():
                raise TrainingCancelled(f"stopped in epoch {epoch} after {index} of {len(batches)} steps")
            with torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32):
                loss = _loss(parts, batch, latents, noise_schedule, generator, captions, s, device)
            if not math.isfinite(float(loss.detach())):
                raise EngineError(
                    f"the loss became {float(loss.detach())} in epoch {epoch}, step {index + 1}: lower the learning "
                    "rate or alpha (or train without fp16); the epochs saved before stay usable"
                )
            scaler.scale(loss).backward()  # type: ignore[no-untyped-call]
            scaler.unscale_(optimizer)
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            scaler.step(optimizer)
            scaler.update()
            optimizer.zero_grad(set_to_none=True)
            losses.append(float(loss.detach()))
            step = (epoch - 1) * per_epoch + index + 1
            message = f"epoch {epoch}/{s.epochs}, step {index + 1}/{len(batches)}"
            bridge.progress(TrainingProgress(step, per_epoch * s.epochs, epoch, s.epochs, losses[-1], message))
        result = _save_epoch(trained, job, epoch, losses)
        bridge.epoch(result)
        results.append(result)
    return results


def _weight_dtype(mixed_precision: str, device: torch.device) -> torch.dtype:
    # Half precision only pays (and only works everywhere) on a GPU; the CPU trains in float32.
    if device.type != "cuda":
        return torch.float32
    return {"fp16": torch.float16, "bf16": torch.bfloat16}.get(mixed_precision, torch.float32)


def _cache_latents(
    parts: Components, samples: list[Sample], s: TrainingSettings, device: torch.device
) -> tuple[list[Prepared], list[torch.Tensor]]:
    """Encode every image once (the VAE is frozen and there is no random crop, so latents never change)."""
    vae = parts.vae.to(device).eval()
    step = 2 ** (len(vae.config.block_out_channels) - 1) * 2 ** (len(parts.unet.config.down_block_types) - 1)
    if s.resolution < step:
        raise EngineError(f"resolution {s.resolution} is below this model's minimum of {step} px")
    sizes = buckets(s.resolution, step)
    items, latents = [], []
    for index, sample in enumerate(samples):
        image = open_rgb(sample.image)
        fitted, crop = fit(image, sizes, s.bucketing)
        pixels = torch.from_numpy(np.asarray(fitted, dtype=np.float32) / 127.5 - 1.0).permute(2, 0, 1)
        with torch.no_grad():
            encoded = vae.encode(pixels[None].to(device)).latent_dist.mean[0]
        latents.append(encoded * vae.config.scaling_factor)
        bucket = (fitted.height, fitted.width)
        items.append(Prepared(index, sample.caption, sample.repeats, bucket, (image.height, image.width), crop))
    parts.vae.to("cpu")
    return items, latents


def _prepare_models(parts: Components, job: Job, device: torch.device, dtype: torch.dtype) -> list[torch.nn.Module]:
    s = job.settings
    parts.unet.requires_grad_(False)
    kohya.add_lora(parts.unet, targets=kohya.UNET_TARGETS, rank=s.rank, alpha=s.alpha)
    trained: list[torch.nn.Module] = [parts.unet]
    for encoder in parts.text_encoders:
        encoder.requires_grad_(False)
        if job.train_text_encoder:
            kohya.add_lora(encoder, targets=kohya.TEXT_TARGETS, rank=s.rank, alpha=s.alpha)
            trained.append(encoder)
    if job.resume:
        kohya.load_into(trained, s.family, job.resume.path)
    for model in [parts.unet, *parts.text_encoders]:
        model.to(device) if dtype == torch.float32 else model.to(device, dtype=dtype)
        for param in model.parameters():
            if param.requires_grad:
                param.data = param.data.float()  # the LoRA weights themselves train in float32
        model.train()
    if job.gradient_checkpointing:
        parts.unet.enable_gradient_checkpointing()
    return trained


def _loss(
    parts: Components,
    batch: list[Prepared],
    latents: list[torch.Tensor],
    noise_schedule: DDPMScheduler,
    generator: torch.Generator,
    captions: random.Random,
    s: TrainingSettings,
    device: torch.device,
) -> torch.Tensor:
    clean = torch.stack([latents[item.index] for item in batch]).to(device)
    noise = torch.randn(clean.shape, generator=generator).to(device)
    timesteps = torch.randint(0, noise_schedule.config.num_train_timesteps, (len(batch),), generator=generator)
    timesteps = timesteps.to(device)
    noisy = noise_schedule.add_noise(clean, noise, timesteps)
    texts = ["" if captions.random() < s.caption_dropout else item.caption for item in batch]
    hidden, extra = _encode_text(parts, texts, batch, device)
    predicted = parts.unet(noisy, timesteps, hidden, added_cond_kwargs=extra).sample
    return F.mse_loss(predicted.float(), noise.float())


def _encode_text(
    parts: Components, texts: list[str], batch: list[Prepared], device: torch.device
) -> tuple[torch.Tensor, dict[str, Any] | None]:
    outputs = []
    for tokenizer, encoder in zip(parts.tokenizers, parts.text_encoders, strict=True):
        length = encoder.config.max_position_embeddings
        ids = tokenizer(texts, padding="max_length", max_length=length, truncation=True, return_tensors="pt")
        outputs.append(encoder(ids.input_ids.to(device), output_hidden_states=len(parts.text_encoders) > 1))
    if len(outputs) == 1:
        return outputs[0].last_hidden_state, None
    # SDXL: both encoders' penultimate layers side by side, the pooled projection and the size conditioning.
    hidden = torch.cat([output.hidden_states[-2] for output in outputs], dim=-1)
    time_ids = torch.tensor(
        [[*item.original, *item.crop, *item.bucket] for item in batch], dtype=hidden.dtype, device=device
    )
    return hidden, {"text_embeds": outputs[1].text_embeds, "time_ids": time_ids}


def _save_epoch(trained: list[torch.nn.Module], job: Job, epoch: int, losses: list[float]) -> EpochResult:
    s = job.settings
    metadata = {
        "ss_network_module": "networks.lora",
        "ss_network_dim": str(s.rank),
        "ss_network_alpha": str(s.alpha),
        "ss_base_model_version": _BASE_MODEL[s.family],
        "ss_sd_model_name": job.checkpoint.name,
        "ss_output_name": s.trigger_word,
        "ss_epoch": str(epoch),
        "ss_learning_rate": str(s.learning_rate),
        "ss_resolution": str(s.resolution),
        "ss_seed": str(s.seed),
    }
    path = epoch_path(job.out_dir, epoch)
    kohya.save(kohya.state_dict(trained, s.family, s.alpha), path, metadata)
    return EpochResult(epoch=epoch, path=path, loss=sum(losses) / len(losses), steps=len(losses))
