"""Requirement messages: which node pack to install, which model file goes in which models/ folder."""

from __future__ import annotations

import pytest

from anime_studio.engines.base import EngineError, MissingRequirement
from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.requirements import check_workflow, require
from anime_studio.engines.comfyui.workflows.image import (
    ImageGraph,
    IpAdapter,
    build_image_workflow,
    ip_adapter_unavailable,
)
from anime_studio.engines.comfyui.workflows.music import MusicGraph, ace_step_workflow
from anime_studio.engines.comfyui.workflows.video import VideoGraph, framepack_workflow, wan_workflow
from tests.engines.comfyui.conftest import MODELS, SD15, SDXL
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.comfyui_validation import Validator

VIDEO = VideoGraph(
    image="example.png", prompt="walk", negative="", seed=1, width=512, height=512, duration=2, fps=24, output="vhs"
)


def schemas(
    tmp_path: object, *, models: dict[str, list[str]] | None = None, without: tuple[str, ...] = ()
) -> NodeSchemas:
    fake = FakeComfyUI(tmp_path, models=MODELS if models is None else models, without=without)  # type: ignore[arg-type]
    return NodeSchemas(fake.filled_schemas())


def test_missing_framepack_pack_and_vhs_are_named(tmp_path: object) -> None:
    missing_classes = ("FramePackSampler", "LoadFramePackModel", "FramePackFindNearestBucket", "VHS_VideoCombine")
    with pytest.raises(MissingRequirement) as caught:
        require(framepack_workflow(VIDEO), schemas(tmp_path, without=missing_classes), url="http://gpu1:8188")
    message = str(caught.value)
    assert message.startswith("ComfyUI at http://gpu1:8188 lacks what this workflow needs")
    assert (
        "ComfyUI-FramePackWrapper (kijai) for FramePackFindNearestBucket, FramePackSampler, LoadFramePackModel"
        in message
    )
    assert "ComfyUI-VideoHelperSuite (Kosinkadink) for VHS_VideoCombine" in message
    assert len(caught.value.missing) == 2


def test_missing_model_files_name_their_folders(tmp_path: object) -> None:
    report = check_workflow(
        wan_workflow(VIDEO), schemas(tmp_path, models={"text_encoders": ["umt5_xxl_fp8_e4m3fn_scaled.safetensors"]})
    )
    assert report.missing_models == [
        "models/diffusion_models/wan2.1_i2v_480p_14B_fp16.safetensors (node 1 UNETLoader.unet_name)",
        "models/vae/wan_2.1_vae.safetensors (node 6 VAELoader.vae_name)",
        "models/clip_vision/clip_vision_h.safetensors (node 8 CLIPVisionLoader.clip_name)",
    ]
    assert not report.missing_nodes and not report.bad_values


def test_missing_checkpoint_and_lora(tmp_path: object) -> None:
    from anime_studio.engines.image.base import LoraSpec

    workflow = build_image_workflow(
        ImageGraph(
            checkpoint="nope.safetensors",
            prompt="x",
            negative="",
            seed=1,
            width=512,
            height=512,
            loras=(LoraSpec("gone.safetensors"),),
        )
    )
    with pytest.raises(MissingRequirement) as caught:
        require(workflow, schemas(tmp_path))
    assert caught.value.missing == [
        "models/checkpoints/nope.safetensors (node 1 CheckpointLoaderSimple.ckpt_name)",
        "models/loras/gone.safetensors (node 2 LoraLoader.lora_name)",
    ]


def test_audio_nodes_need_torchaudio(tmp_path: object) -> None:
    without_torchaudio = ("SaveAudio", "VAEDecodeAudio")
    with pytest.raises(MissingRequirement) as caught:
        require(
            ace_step_workflow(MusicGraph(tags="calm", seconds=10, seed=1)),
            schemas(tmp_path, without=without_torchaudio),
        )
    assert "ComfyUI core audio nodes (comfy_extras/nodes_audio.py) for SaveAudio, VAEDecodeAudio" in str(caught.value)
    assert "pip install torchaudio" in str(caught.value)


def test_unknown_combo_value_is_a_plain_error(tmp_path: object) -> None:
    workflow = build_image_workflow(
        ImageGraph(checkpoint=SD15, prompt="x", negative="", seed=1, width=512, height=512, sampler="warp_drive")
    )
    with pytest.raises(EngineError) as caught:
        require(workflow, schemas(tmp_path))
    assert not isinstance(caught.value, MissingRequirement)
    assert "node 5 KSampler.sampler_name: 'warp_drive' is not one of 'euler'," in str(caught.value)


def test_uploads_count_as_present_input_images(tmp_path: object) -> None:
    workflow = build_image_workflow(
        ImageGraph(checkpoint=SD15, prompt="x", negative="", seed=1, width=512, height=512, init_image="as-abc.png")
    )
    assert "input image 'as-abc.png'" in check_workflow(workflow, schemas(tmp_path)).bad_values[0]
    assert check_workflow(workflow, schemas(tmp_path), uploads={"as-abc.png"}).ok


def test_ip_adapter_availability_explains_itself(tmp_path: object) -> None:
    full = schemas(tmp_path)
    assert ip_adapter_unavailable(full, "sd15") is None and ip_adapter_unavailable(full, "sdxl") is None
    no_pack = schemas(tmp_path, without=("IPAdapterUnifiedLoader", "IPAdapterAdvanced"))
    assert (
        ip_adapter_unavailable(no_pack, "sd15")
        == "ComfyUI_IPAdapter_plus (cubiq) is not installed (missing IPAdapterUnifiedLoader, IPAdapterAdvanced)"
    )
    only_sd15 = schemas(tmp_path, models={**MODELS, "ipadapter": ["ip-adapter-plus_sd15.safetensors"]})
    assert ip_adapter_unavailable(only_sd15, "sd15") is None
    assert (
        ip_adapter_unavailable(only_sd15, "sdxl")
        == "missing models/ipadapter/ip-adapter-plus_sdxl_vit-h.safetensors (IP-Adapter PLUS (high strength))"
    )
    no_vision = schemas(tmp_path, models={**MODELS, "clip_vision": []})
    assert "models/clip_vision/CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors" in str(
        ip_adapter_unavailable(no_vision, "sd15")
    )
    workflow = build_image_workflow(
        ImageGraph(
            checkpoint=SDXL,
            prompt="x",
            negative="",
            seed=1,
            width=512,
            height=512,
            ip_adapter=IpAdapter(references=("example.png",)),
        )
    )
    assert check_workflow(workflow, no_vision).missing_models == [
        "models/clip_vision/CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors (IP-Adapter image encoder)"
    ]


def test_fake_strict_steps_rejects_off_grid_values(tmp_path: object) -> None:
    fake = FakeComfyUI(tmp_path, models=MODELS)  # type: ignore[arg-type]
    workflow = build_image_workflow(ImageGraph(checkpoint=SD15, prompt="x", negative="", seed=1, width=512, height=512))
    workflow["4"]["inputs"]["width"] = 515
    lenient = Validator(fake.filled_schemas(), input_exists=lambda _: True)
    strict = Validator(fake.filled_schemas(), input_exists=lambda _: True, strict_steps=True)
    assert lenient.validate_prompt(workflow)[0] is True  # ComfyUI itself accepts 515 and rounds later
    valid, _, _, node_errors = strict.validate_prompt(workflow)
    assert not valid and node_errors["4"]["errors"][0]["type"] == "value_not_multiple_of_step"
