"""Music with the core ACE-Step nodes: text tags (+ lyrics) → latent audio → VAEDecodeAudio → SaveAudio (FLAC).

``VAEDecodeAudio`` and ``SaveAudio`` live in ``comfy_extras/nodes_audio.py``, which only loads when
torchaudio is installed; the requirement check says so when they are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anime_studio.engines.comfyui.workflows.graph import Graph

SEED_SPACE = 2**64
INSTRUMENTAL = "[instrumental]"


@dataclass(frozen=True)
class MusicGraph:
    tags: str
    seconds: float
    seed: int
    lyrics: str = INSTRUMENTAL
    steps: int = 50
    cfg: float = 5.0
    checkpoint: str = "ace_step_v1_3.5b.safetensors"
    filename_prefix: str = "audio/anime_studio"


def ace_step_workflow(spec: MusicGraph) -> dict[str, Any]:
    """The ACE-Step text-to-music graph (settings of ComfyUI's ACE-Step example)."""
    g = Graph()
    ckpt = g.add("CheckpointLoaderSimple", "Load ACE-Step", ckpt_name=spec.checkpoint)
    model = g.add("ModelSamplingSD3", "Model Sampling", model=ckpt[0], shift=5.0)
    positive = g.add(
        "TextEncodeAceStepAudio",
        "Tags and lyrics",
        clip=ckpt[1],
        tags=spec.tags,
        lyrics=spec.lyrics,
        lyrics_strength=0.99,
    )
    negative = g.add("ConditioningZeroOut", "Negative (zeroed)", conditioning=positive[0])
    latent = g.add(
        "EmptyAceStepLatentAudio", "Length", seconds=round(min(1000.0, max(1.0, spec.seconds)), 1), batch_size=1
    )
    sampled = g.add(
        "KSampler",
        "KSampler",
        model=model[0],
        positive=positive[0],
        negative=negative[0],
        latent_image=latent[0],
        seed=spec.seed % SEED_SPACE,
        steps=spec.steps,
        cfg=spec.cfg,
        sampler_name="euler",
        scheduler="simple",
        denoise=1.0,
    )
    audio = g.add("VAEDecodeAudio", "Decode audio", samples=sampled[0], vae=ckpt[2])
    g.add("SaveAudio", "Save Audio", audio=audio[0], filename_prefix=spec.filename_prefix)
    return g.to_workflow()
