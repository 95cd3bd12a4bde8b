"""Facts about ComfyUI installs: which ``models/`` folder a loader lists, which node pack provides a class.

ComfyUI's ``/object_info`` lists the files of a folder as a combo's options but never says which folder,
so the requirement messages need this table (from ComfyUI's ``folder_paths`` names).
"""

from __future__ import annotations

from dataclasses import dataclass, field

MODEL_FOLDERS: dict[tuple[str, str], str] = {
    ("CheckpointLoaderSimple", "ckpt_name"): "checkpoints",
    ("CheckpointLoader", "ckpt_name"): "checkpoints",
    ("ImageOnlyCheckpointLoader", "ckpt_name"): "checkpoints",
    ("unCLIPCheckpointLoader", "ckpt_name"): "checkpoints",
    ("LoraLoader", "lora_name"): "loras",
    ("LoraLoaderModelOnly", "lora_name"): "loras",
    ("FramePackLoraSelect", "lora"): "loras",
    ("VAELoader", "vae_name"): "vae",
    ("CLIPLoader", "clip_name"): "text_encoders",
    ("DualCLIPLoader", "clip_name1"): "text_encoders",
    ("DualCLIPLoader", "clip_name2"): "text_encoders",
    ("TripleCLIPLoader", "clip_name1"): "text_encoders",
    ("TripleCLIPLoader", "clip_name2"): "text_encoders",
    ("TripleCLIPLoader", "clip_name3"): "text_encoders",
    ("CLIPVisionLoader", "clip_name"): "clip_vision",
    ("UNETLoader", "unet_name"): "diffusion_models",
    ("LoadFramePackModel", "model"): "diffusion_models",
    ("IPAdapterModelLoader", "ipadapter_file"): "ipadapter",
    ("ControlNetLoader", "control_net_name"): "controlnet",
    ("UpscaleModelLoader", "model_name"): "upscale_models",
    ("StyleModelLoader", "style_model_name"): "style_models",
    ("AudioEncoderLoader", "audio_encoder_name"): "audio_encoders",
}
"""(class_type, input) → the ``models/`` subfolder whose files the combo lists."""

NOT_IMAGE_MODELS: tuple[str, ...] = (
    "ace_step",
    "acestep",
    "stable_audio",
    "stable-audio",
    "audioldm",
    "musicgen",
    "mmaudio",
    "riffusion",
    "ltx-video",
    "ltxv",
    "ltx_video",
    "svd",
    "hunyuan_video",
    "hunyuanvideo",
    "hunyuan3d",
    "wan2",
    "wan_2",
    "mochi",
    "cosmos",
    "cogvideo",
    "animatediff",
    "sv3d",
    "zero123",
    "audio",
    "music",
    "video",
)
"""Name fragments of checkpoint families that make sound, video or 3D, not pictures (``models/checkpoints``
holds them too: ACE-Step, Stable Audio, LTX-Video, SVD, Hunyuan/Wan/Mochi/Cosmos video …)."""


def is_image_checkpoint(name: str) -> bool:
    """False for a file of a known audio, video or 3D model family (judged by its name, as ComfyUI lists it)."""
    base = name.replace("\\", "/").lower()
    return not any(fragment in base for fragment in NOT_IMAGE_MODELS)


INPUT_FOLDER_INPUTS: frozenset[tuple[str, str]] = frozenset({("LoadImage", "image"), ("LoadImageMask", "image")})
"""Combos that list ComfyUI's ``input/`` folder (files we upload)."""


@dataclass(frozen=True)
class NodePack:
    """A custom node pack (or a part of ComfyUI core that may fail to load)."""

    name: str
    install: str
    classes: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def provides(self, class_type: str) -> bool:
        return class_type in self.classes or class_type.startswith(self.prefixes)


FRAMEPACK = NodePack(
    "ComfyUI-FramePackWrapper (kijai)",
    "git clone https://github.com/kijai/ComfyUI-FramePackWrapper into custom_nodes/ (needs a CUDA torch)",
    classes=frozenset(
        {
            "DownloadAndLoadFramePackModel",
            "FramePackFindNearestBucket",
            "FramePackLoraSelect",
            "FramePackSampler",
            "FramePackSingleFrameSampler",
            "FramePackTorchCompileSettings",
            "LoadFramePackModel",
        }
    ),
)
IPADAPTER = NodePack(
    "ComfyUI_IPAdapter_plus (cubiq)",
    "git clone https://github.com/cubiq/ComfyUI_IPAdapter_plus into custom_nodes/",
    prefixes=("IPAdapter", "IPAAdapter", "PrepImageForClipVision"),
)
VIDEO_HELPER_SUITE = NodePack(
    "ComfyUI-VideoHelperSuite (Kosinkadink)",
    "git clone https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite into custom_nodes/",
    prefixes=("VHS_",),
)
CORE_AUDIO = NodePack(
    "ComfyUI core audio nodes (comfy_extras/nodes_audio.py)",
    "they load only when torchaudio is installed: pip install torchaudio in ComfyUI's Python environment",
    classes=frozenset({"SaveAudio", "SaveAudioMP3", "SaveAudioOpus", "VAEDecodeAudio", "VAEEncodeAudio", "LoadAudio"}),
)
CORE = NodePack(
    "a recent ComfyUI core (update ComfyUI)",
    "git pull in the ComfyUI folder and restart it",
    classes=frozenset(
        {
            "CreateVideo",
            "SaveVideo",
            "WanImageToVideo",
            "LTXVImgToVideo",
            "LTXVPreprocess",
            "LTXVConditioning",
            "LTXVScheduler",
            "EmptyAceStepLatentAudio",
            "TextEncodeAceStepAudio",
            "ModelSamplingSD3",
            "ConditioningZeroOut",
            "SamplerCustom",
            "KSamplerSelect",
            "VAEDecodeTiled",
        }
    ),
)
KNOWN_PACKS: tuple[NodePack, ...] = (FRAMEPACK, IPADAPTER, VIDEO_HELPER_SUITE, CORE_AUDIO, CORE)


def resolve_file(name: str, options: list[str]) -> str:
    """The listed file meant by ``name``: exact, else the same name without extension or folder."""
    if not name or name in options:
        return name
    wanted = name.lower().removesuffix(".safetensors")
    for option in options:
        base = option.replace("\\", "/").rsplit("/", 1)[-1].lower()
        if wanted in (base, base.rsplit(".", 1)[0]):
            return option
    return name


def pack_for(class_type: str) -> NodePack:
    """The pack to install for a missing class (a generic entry when we do not know it)."""
    for pack in KNOWN_PACKS:
        if pack.provides(class_type):
            return pack
    return NodePack(f"the node pack that provides {class_type}", "see the workflow's source for its custom nodes")


@dataclass
class NodeSchemas:
    """Read access to an ``/object_info`` answer (one backend's node classes and their inputs)."""

    raw: dict[str, dict[str, object]] = field(default_factory=dict)

    def has(self, class_type: str) -> bool:
        return class_type in self.raw

    def input_config(self, class_type: str, name: str) -> list[object] | None:
        """The ``[type, options]`` list of one input (required or optional), or None."""
        inputs = self.raw.get(class_type, {}).get("input")
        if not isinstance(inputs, dict):
            return None
        for section in ("required", "optional"):
            group = inputs.get(section)
            if isinstance(group, dict) and isinstance(group.get(name), list):
                config: list[object] = group[name]
                return config
        return None

    def combo_options(self, class_type: str, name: str) -> list[object] | None:
        """The allowed values of a combo input (old list style or the v3 ``COMBO`` style), else None."""
        config = self.input_config(class_type, name)
        if not config:
            return None
        head = config[0]
        if isinstance(head, list):
            return head
        if head == "COMBO" and len(config) > 1 and isinstance(config[1], dict):
            options = config[1].get("options", [])
            return list(options) if isinstance(options, list) else []
        return None

    def files(self, class_type: str, name: str) -> list[str]:
        """The file names a loader combo lists (empty if the class or input is unknown)."""
        return [str(v) for v in self.combo_options(class_type, name) or []]

    def is_output(self, class_type: str) -> bool:
        return bool(self.raw.get(class_type, {}).get("output_node"))
