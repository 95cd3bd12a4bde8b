"""Still images: SD1.5/SDXL txt2img and img2img, a LoRA stack, optional IP-Adapter reference conditioning.

Graph: CheckpointLoaderSimple → LoraLoader (N of them) (model and clip chained) → [IPAdapterUnifiedLoader →
IPAdapterAdvanced with the reference images] → CLIPTextEncode (twice) → KSampler (EmptyLatentImage, or
LoadImage → VAEEncode for img2img) → VAEDecode → SaveImage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.requirements import ipadapter_files_missing
from anime_studio.engines.comfyui.workflows.graph import Graph, Link, Node
from anime_studio.engines.image.base import LoraSpec

Family = Literal["sd15", "sdxl"]
SEED_SPACE = 2**64
IPADAPTER_NODES = ("IPAdapterUnifiedLoader", "IPAdapterAdvanced")


@dataclass(frozen=True)
class IpAdapter:
    """Reference-image conditioning (spec: weight 0.7, end_at 0.85)."""

    references: tuple[str, ...]
    """Names of the uploaded reference images in ComfyUI's input folder."""
    weight: float = 0.7
    end_at: float = 0.85
    preset: str = "PLUS (high strength)"


@dataclass(frozen=True)
class ImageGraph:
    """Everything the image workflow needs, already resolved to backend file names."""

    checkpoint: str
    prompt: str
    negative: str
    seed: int
    width: int
    height: int
    steps: int = 25
    cfg: float = 7.0
    sampler: str = "euler_ancestral"
    scheduler: str = "normal"
    loras: tuple[LoraSpec, ...] = ()
    init_image: str | None = None
    denoise: float = 1.0
    ip_adapter: IpAdapter | None = None
    filename_prefix: str = "anime_studio/image"
    extra: dict[str, Any] = field(default_factory=dict)


def guess_family(checkpoint: str) -> Family:
    """SDXL-based checkpoints usually say so in their name (xl, pony, illustrious, noob)."""
    name = checkpoint.lower()
    return "sdxl" if any(tag in name for tag in ("xl", "pony", "illustrious", "noob")) else "sd15"


def latent_size(value: int) -> int:
    """EmptyLatentImage works in steps of 8 pixels."""
    return max(16, value - value % 8)


def ip_adapter_unavailable(schemas: NodeSchemas, family: Family, preset: str = IpAdapter.preset) -> str | None:
    """Why IP-Adapter cannot be used on this backend (None when it can)."""
    absent = [name for name in IPADAPTER_NODES if not schemas.has(name)]
    if absent:
        return "ComfyUI_IPAdapter_plus (cubiq) is not installed (missing " + ", ".join(absent) + ")"
    missing = ipadapter_files_missing(schemas, preset, family)
    return "missing " + "; ".join(missing) if missing else None


def build_image_workflow(spec: ImageGraph) -> dict[str, Any]:
    """The API-format workflow for one image."""
    g = Graph()
    ckpt = g.add("CheckpointLoaderSimple", "Checkpoint", ckpt_name=spec.checkpoint)
    model, clip = ckpt[0], ckpt[1]
    for lora in spec.loras:
        node = g.add(
            "LoraLoader",
            f"LoRA {lora.name}",
            model=model,
            clip=clip,
            lora_name=lora.name,
            strength_model=lora.strength_model,
            strength_clip=lora.strength_clip,
        )
        model, clip = node[0], node[1]
    if spec.ip_adapter is not None and spec.ip_adapter.references:
        model = _ip_adapter(g, model, spec.ip_adapter)
    positive = g.add("CLIPTextEncode", "Positive prompt", text=spec.prompt, clip=clip)
    negative = g.add("CLIPTextEncode", "Negative prompt", text=spec.negative, clip=clip)
    latent, denoise = _latent(g, spec, ckpt)
    sampler = g.add(
        "KSampler",
        "Sampler",
        model=model,
        positive=positive[0],
        negative=negative[0],
        latent_image=latent,
        seed=spec.seed % SEED_SPACE,
        steps=spec.steps,
        cfg=spec.cfg,
        sampler_name=spec.sampler,
        scheduler=spec.scheduler,
        denoise=denoise,
    )
    decoded = g.add("VAEDecode", "Decode", samples=sampler[0], vae=ckpt[2])
    g.add("SaveImage", "Save", images=decoded[0], filename_prefix=spec.filename_prefix)
    return g.to_workflow()


def _latent(g: Graph, spec: ImageGraph, ckpt: Node) -> tuple[Link, float]:
    if spec.init_image is None:
        empty = g.add(
            "EmptyLatentImage", "Canvas", width=latent_size(spec.width), height=latent_size(spec.height), batch_size=1
        )
        return empty[0], 1.0
    source = g.add("LoadImage", "Init image", image=spec.init_image)
    scaled = g.add(
        "ImageScale",
        "Fit init image",
        image=source[0],
        upscale_method="lanczos",
        width=latent_size(spec.width),
        height=latent_size(spec.height),
        crop="center",
    )
    encoded = g.add("VAEEncode", "Encode init image", pixels=scaled[0], vae=ckpt[2])
    return encoded[0], min(1.0, max(0.0, spec.denoise))


def _ip_adapter(g: Graph, model: Link, options: IpAdapter) -> Link:
    """Batch the references with ImageBatch (it rescales to the first) and apply them to the model."""
    images = [g.add("LoadImage", f"Reference {i + 1}", image=name)[0] for i, name in enumerate(options.references)]
    batch = images[0]
    for other in images[1:]:
        batch = g.add("ImageBatch", "Batch references", image1=batch, image2=other)[0]
    loader = g.add("IPAdapterUnifiedLoader", "IP-Adapter loader", model=model, preset=options.preset)
    applied = g.add(
        "IPAdapterAdvanced",
        "IP-Adapter",
        model=loader[0],
        ipadapter=loader[1],
        image=batch,
        weight=options.weight,
        weight_type="linear",
        combine_embeds="average" if len(images) > 1 else "concat",
        start_at=0.0,
        end_at=options.end_at,
        embeds_scaling="V only",
    )
    return applied[0]
