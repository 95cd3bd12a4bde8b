"""Image→video workflows: FramePack (kijai wrapper), LTX-Video (core nodes), Wan 2.1 (core nodes).

Each ends in one of two output styles: ``vhs`` (VHS_VideoCombine, history key ``gifs``) or ``core``
(CreateVideo → SaveVideo, history key ``images`` with ``animated``). Model file names are the ones the
official example workflows use; studios with other files set them through the engine settings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.workflows.graph import Graph, Link

OutputStyle = Literal["vhs", "core"]
Variant = Literal["framepack", "ltxv", "wan"]
SEED_SPACE = 2**64
FRAMEPACK_FPS = 30
WAN_FPS = 16


@dataclass(frozen=True)
class VideoGraph:
    """One image→video job, with the source image already uploaded under ``image``."""

    image: str
    prompt: str
    negative: str
    seed: int
    width: int
    height: int
    duration: float
    fps: int
    steps: int = 25
    output: OutputStyle = "core"
    filename_prefix: str = "anime_studio/video"


@dataclass(frozen=True)
class FramePackModels:
    model: str = "FramePackI2V_HY_fp8_e4m3fn.safetensors"
    clip_l: str = "clip_l.safetensors"
    llava: str = "llava_llama3_fp16.safetensors"
    clip_vision: str = "sigclip_vision_patch14_384.safetensors"
    vae: str = "hunyuan_video_vae_bf16.safetensors"


@dataclass(frozen=True)
class LtxvModels:
    checkpoint: str = "ltx-video-2b-v0.9.5.safetensors"
    text_encoder: str = "t5xxl_fp16.safetensors"


@dataclass(frozen=True)
class WanModels:
    model: str = "wan2.1_i2v_480p_14B_fp16.safetensors"
    text_encoder: str = "umt5_xxl_fp8_e4m3fn_scaled.safetensors"
    vae: str = "wan_2.1_vae.safetensors"
    clip_vision: str = "clip_vision_h.safetensors"


def output_style(schemas: NodeSchemas, preferred: OutputStyle | Literal["auto"] = "auto") -> OutputStyle:
    """The preferred style if the backend has its nodes, else whichever it has (core first)."""
    core = schemas.has("CreateVideo") and schemas.has("SaveVideo")
    vhs = schemas.has("VHS_VideoCombine")
    if preferred == "vhs" and vhs:
        return "vhs"
    if preferred == "core" and core:
        return "core"
    return "core" if core or not vhs else "vhs"


def frames_for(duration: float, fps: float, *, step: int, minimum: int) -> int:
    """The frame count ``step·k + 1`` (LTXV: 8k+1, Wan: 4k+1) that covers ``duration`` seconds."""
    wanted = max(minimum, math.ceil(duration * fps))
    return max(minimum, math.ceil((wanted - 1) / step) * step + 1)


def fit_area(width: int, height: int, *, max_area: int, multiple: int) -> tuple[int, int]:
    """Scale down to at most ``max_area`` pixels keeping the aspect, rounded down to ``multiple``."""
    scale = min(1.0, math.sqrt(max_area / max(1, width * height)))
    return (
        max(multiple * 4, int(width * scale) // multiple * multiple),
        max(multiple * 4, int(height * scale) // multiple * multiple),
    )


def add_video_output(g: Graph, images: Link, *, fps: float, style: OutputStyle, prefix: str) -> None:
    """H.264 MP4 either through VideoHelperSuite or through the core video nodes."""
    if style == "vhs":
        g.add(
            "VHS_VideoCombine",
            "Video Combine",
            images=images,
            frame_rate=fps,
            loop_count=0,
            filename_prefix=prefix,
            format="video/h264-mp4",
            pix_fmt="yuv420p",
            crf=19,
            save_metadata=False,
            trim_to_audio=False,
            pingpong=False,
            save_output=True,
        )
        return
    video = g.add("CreateVideo", "Create Video", images=images, fps=float(fps))
    g.add("SaveVideo", "Save Video", video=video[0], filename_prefix=prefix, format="mp4", codec="h264")


def framepack_workflow(spec: VideoGraph, models: FramePackModels = FramePackModels()) -> dict[str, Any]:
    """FramePack I2V, wired like ``framepack_i2v_api.json`` (start image only, 30 fps)."""
    g = Graph()
    start = g.add("LoadImage", "Load Start Image", image=spec.image)
    bucket = g.add("FramePackFindNearestBucket", "Find Nearest Bucket", image=start[0], base_resolution=640)
    scaled = g.add(
        "ImageScale",
        "Resize To Bucket",
        image=start[0],
        upscale_method="lanczos",
        width=bucket[0],
        height=bucket[1],
        crop="center",
    )
    clip = g.add(
        "DualCLIPLoader",
        "DualCLIPLoader",
        clip_name1=models.clip_l,
        clip_name2=models.llava,
        type="hunyuan_video",
        device="default",
    )
    positive = g.add("CLIPTextEncode", "Positive Prompt", text=spec.prompt, clip=clip[0])
    negative = g.add("ConditioningZeroOut", "Negative (zeroed)", conditioning=positive[0])
    vision = g.add("CLIPVisionLoader", "Load CLIP Vision", clip_name=models.clip_vision)
    embeds = g.add("CLIPVisionEncode", "CLIP Vision Encode", clip_vision=vision[0], image=scaled[0], crop="center")
    vae = g.add("VAELoader", "Load VAE", vae_name=models.vae)
    latent = g.add("VAEEncode", "VAE Encode Start Image", pixels=scaled[0], vae=vae[0])
    model = g.add(
        "LoadFramePackModel",
        "Load FramePackModel",
        model=models.model,
        base_precision="bf16",
        quantization="fp8_e4m3fn",
        load_device="offload_device",
        attention_mode="sdpa",
    )
    sampled = g.add(
        "FramePackSampler",
        "FramePackSampler",
        model=model[0],
        positive=positive[0],
        negative=negative[0],
        start_latent=latent[0],
        image_embeds=embeds[0],
        steps=spec.steps,
        use_teacache=True,
        teacache_rel_l1_thresh=0.15,
        cfg=1.0,
        guidance_scale=10.0,
        shift=0.0,
        seed=spec.seed % SEED_SPACE,
        latent_window_size=9,
        total_second_length=round(min(120.0, max(0.1, spec.duration)), 1),
        gpu_memory_preservation=6.0,
        sampler="unipc_bh1",
        embed_interpolation="disabled",
        start_embed_strength=1.0,
        denoise_strength=1.0,
    )
    decoded = g.add(
        "VAEDecodeTiled",
        "VAE Decode (Tiled)",
        samples=sampled[0],
        vae=vae[0],
        tile_size=256,
        overlap=64,
        temporal_size=64,
        temporal_overlap=8,
    )
    add_video_output(g, decoded[0], fps=FRAMEPACK_FPS, style=spec.output, prefix=spec.filename_prefix)
    return g.to_workflow()


def ltxv_workflow(spec: VideoGraph, models: LtxvModels = LtxvModels()) -> dict[str, Any]:
    """LTX-Video image→video with the core nodes, wired like ``ltxv_i2v_api.json``."""
    g = Graph()
    ckpt = g.add("CheckpointLoaderSimple", "Load LTXV Checkpoint", ckpt_name=models.checkpoint)
    clip = g.add("CLIPLoader", "Load T5 Text Encoder", clip_name=models.text_encoder, type="ltxv", device="default")
    positive = g.add("CLIPTextEncode", "Positive Prompt", text=spec.prompt, clip=clip[0])
    negative = g.add("CLIPTextEncode", "Negative Prompt", text=spec.negative, clip=clip[0])
    start = g.add("LoadImage", "Load Start Image", image=spec.image)
    prepared = g.add("LTXVPreprocess", "LTXV Preprocess", image=start[0], img_compression=35)
    width, height = fit_area(spec.width, spec.height, max_area=1280 * 720, multiple=32)
    to_video = g.add(
        "LTXVImgToVideo",
        "LTXV Image To Video",
        positive=positive[0],
        negative=negative[0],
        vae=ckpt[2],
        image=prepared[0],
        width=width,
        height=height,
        length=frames_for(spec.duration, spec.fps, step=8, minimum=9),
        batch_size=1,
        strength=1.0,
    )
    conditioned = g.add(
        "LTXVConditioning", "LTXV Conditioning", positive=to_video[0], negative=to_video[1], frame_rate=float(spec.fps)
    )
    sampler = g.add("KSamplerSelect", "KSamplerSelect", sampler_name="euler")
    sigmas = g.add(
        "LTXVScheduler",
        "LTXV Scheduler",
        steps=spec.steps,
        max_shift=2.05,
        base_shift=0.95,
        stretch=True,
        terminal=0.1,
        latent=to_video[2],
    )
    sampled = g.add(
        "SamplerCustom",
        "SamplerCustom",
        model=ckpt[0],
        add_noise=True,
        noise_seed=spec.seed % SEED_SPACE,
        cfg=3.0,
        positive=conditioned[0],
        negative=conditioned[1],
        sampler=sampler[0],
        sigmas=sigmas[0],
        latent_image=to_video[2],
    )
    decoded = g.add("VAEDecode", "VAE Decode", samples=sampled[0], vae=ckpt[2])
    add_video_output(g, decoded[0], fps=spec.fps, style=spec.output, prefix=spec.filename_prefix)
    return g.to_workflow()


def wan_workflow(spec: VideoGraph, models: WanModels = WanModels()) -> dict[str, Any]:
    """Wan 2.1 image→video with the core ``WanImageToVideo`` node (16 fps, 480p-class sizes)."""
    g = Graph()
    unet = g.add("UNETLoader", "Load Wan Model", unet_name=models.model, weight_dtype="default")
    model = g.add("ModelSamplingSD3", "Model Sampling", model=unet[0], shift=8.0)
    clip = g.add("CLIPLoader", "Load UMT5 Text Encoder", clip_name=models.text_encoder, type="wan", device="default")
    positive = g.add("CLIPTextEncode", "Positive Prompt", text=spec.prompt, clip=clip[0])
    negative = g.add("CLIPTextEncode", "Negative Prompt", text=spec.negative, clip=clip[0])
    vae = g.add("VAELoader", "Load Wan VAE", vae_name=models.vae)
    start = g.add("LoadImage", "Load Start Image", image=spec.image)
    vision = g.add("CLIPVisionLoader", "Load CLIP Vision", clip_name=models.clip_vision)
    embeds = g.add("CLIPVisionEncode", "CLIP Vision Encode", clip_vision=vision[0], image=start[0], crop="none")
    width, height = fit_area(spec.width, spec.height, max_area=832 * 480, multiple=16)
    to_video = g.add(
        "WanImageToVideo",
        "Wan Image To Video",
        positive=positive[0],
        negative=negative[0],
        vae=vae[0],
        width=width,
        height=height,
        length=frames_for(spec.duration, WAN_FPS, step=4, minimum=5),
        batch_size=1,
        clip_vision_output=embeds[0],
        start_image=start[0],
    )
    sampled = g.add(
        "KSampler",
        "KSampler",
        model=model[0],
        positive=to_video[0],
        negative=to_video[1],
        latent_image=to_video[2],
        seed=spec.seed % SEED_SPACE,
        steps=spec.steps,
        cfg=6.0,
        sampler_name="uni_pc",
        scheduler="simple",
        denoise=1.0,
    )
    decoded = g.add("VAEDecode", "VAE Decode", samples=sampled[0], vae=vae[0])
    add_video_output(g, decoded[0], fps=WAN_FPS, style=spec.output, prefix=spec.filename_prefix)
    return g.to_workflow()


BUILDERS = {"framepack": framepack_workflow, "ltxv": ltxv_workflow, "wan": wan_workflow}
NATIVE_FPS: dict[str, int | None] = {"framepack": FRAMEPACK_FPS, "ltxv": None, "wan": WAN_FPS}
"""Frame rate each model generates at (None: it follows the request)."""
