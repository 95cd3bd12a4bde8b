"""ComfyUI engine specifics: provenance, LoRAs, IP-Adapter, templates, output styles, re-encoding, requirements.

What every image, video and music engine must do is the per-kind contract (``tests/engines/test_contract_*.py``),
which runs these engines against the same fake ComfyUI.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from anime_studio.config import Settings
from anime_studio.engines import registry
from anime_studio.engines.base import EngineError, MissingRequirement
from anime_studio.engines.comfyui.mediafiles import VideoTarget, normalise_video
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer
from anime_studio.engines.comfyui.templates import Template, parse_template
from anime_studio.engines.image.base import ImageRequest, LoraSpec
from anime_studio.engines.image.comfyui import ComfyImageEngine
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.comfyui_ace import ComfyAceMusicEngine
from anime_studio.engines.video.base import VideoRequest
from anime_studio.engines.video.comfyui import ComfyVideoEngine
from anime_studio.media.ffmpeg import house_h264, run_ffmpeg
from anime_studio.media.frames import count_frames, frame_at
from anime_studio.media.probe import probe
from anime_studio.scenes.pipeline import packets
from tests.engines.comfyui.conftest import MODELS, SD15, SDXL, Comfy, ComfyFactory, make_image

OPTIONS: dict[str, Any] = {"poll_interval": 0.2, "unreachable_grace": 0.3, "timeout": 60.0}


@pytest.fixture
async def pool(comfy: Comfy) -> AsyncIterator[ComfyPool]:
    p = ComfyPool([comfy.url], **OPTIONS)
    yield p
    await p.aclose()


def image_engine(pool: ComfyPool, **options: Any) -> ComfyImageEngine:
    return ComfyImageEngine(pool=pool, renderer=PoolRenderer(pool), **options)


def image_request(tmp_path: Path, **changes: Any) -> ImageRequest:
    fields: dict[str, Any] = {
        "prompt": "1girl, yellow raincoat",
        "negative": "lowres",
        "seed": 11,
        "width": 160,
        "height": 90,
        "output_path": tmp_path / "out" / "frame.png",
        "checkpoint": SD15,
        "steps": 4,
        **changes,
    }
    return ImageRequest(**fields)


async def test_image_provenance(pool: ComfyPool, tmp_path: Path) -> None:
    result = await image_engine(pool).generate(image_request(tmp_path))
    params = result.parameters
    assert params["backend"] == pool.backends[0].url and len(params["prompt_id"]) == 36 and params["checkpoint"] == SD15
    assert params["workflow"]["1"]["inputs"]["ckpt_name"] == SD15
    assert params["ip_adapter"] == {"used": False, "reason": "no reference images"}


async def test_img2img_loras_and_references(pool: ComfyPool, tmp_path: Path) -> None:
    references = tuple(make_image(tmp_path / "refs" / f"r{i}.png", (64 + 8 * i, 64)) for i in range(3))
    request = image_request(
        tmp_path,
        checkpoint=SDXL,
        init_image=make_image(tmp_path / "init.png", (200, 100)),
        denoise=0.6,
        loras=(LoraSpec("hana_v1.safetensors", 0.8, 0.7), LoraSpec("rain_style.safetensors")),
        reference_images=references,
    )
    result = await image_engine(pool).generate(request)
    classes = [n["class_type"] for n in result.parameters["workflow"].values()]
    assert classes.count("LoraLoader") == 2 and "IPAdapterAdvanced" in classes and "VAEEncode" in classes
    assert result.parameters["ip_adapter"] == {"used": True, "weight": 0.7, "end_at": 0.85, "references": 3}
    assert len(result.parameters["uploads"]) == 4 and result.parameters["family"] == "sdxl"
    assert Image.open(result.path).size == (160, 90)


async def test_references_are_skipped_without_the_ip_adapter_pack(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    comfy = comfy_factory(without=("IPAdapterUnifiedLoader", "IPAdapterAdvanced"))
    pool = ComfyPool([comfy.url], **OPTIONS)
    request = image_request(tmp_path, reference_images=(make_image(tmp_path / "ref.png"),))
    result = await image_engine(pool).generate(request)
    await pool.aclose()
    assert result.parameters["ip_adapter"]["used"] is False
    assert "ComfyUI_IPAdapter_plus (cubiq) is not installed" in result.parameters["ip_adapter"]["reason"]
    assert "IPAdapterAdvanced" not in {n["class_type"] for n in result.parameters["workflow"].values()}


async def test_missing_checkpoints_name_the_file_to_install(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    comfy = comfy_factory(models={**MODELS, "checkpoints": []})
    pool = ComfyPool([comfy.url], **OPTIONS)
    engine = image_engine(pool)
    with pytest.raises(MissingRequirement, match=r"models/checkpoints/anything-v5\.safetensors"):
        await engine.generate(image_request(tmp_path))
    with pytest.raises(MissingRequirement, match="no image checkpoint to draw with"):
        await engine.generate(image_request(tmp_path, checkpoint=""))
    await pool.aclose()


async def test_models_and_status(pool: ComfyPool) -> None:
    engine = image_engine(pool, default_checkpoint=SD15)
    assert await engine.models() == [SDXL, SD15]  # not the LTX-Video and ACE-Step files in the same folder
    status = await engine.status()
    assert status.kind == "image" and status.name == "comfyui" and status.reachable is True
    assert status.models == [SDXL, SD15] and status.detail == "1/1 ComfyUI backends reachable"
    assert status.extra["backends"][0]["url"] == pool.backends[0].url


class MemoryStore:
    def __init__(self, templates: dict[str, Template]) -> None:
        self.templates = templates

    async def load(self, ref: str) -> Template:
        if ref not in self.templates:
            raise EngineError(f"workflow template {ref!r} not found")
        return self.templates[ref]


async def test_image_engine_uses_a_studio_template(pool: ComfyPool, tmp_path: Path) -> None:
    from tests.engines.comfyui.test_templates import studio_template

    store = MemoryStore({"night": parse_template(studio_template())})
    engine = image_engine(pool, template="night", templates=store)
    result = await engine.generate(image_request(tmp_path, loras=(LoraSpec("lineart.safetensors", 0.5, 0.5),)))
    assert result.parameters["template"] == "night" and "prompt" in result.parameters["markers"]
    workflow = result.parameters["workflow"]
    texts = [n["inputs"]["text"] for n in workflow.values() if n["class_type"] == "CLIPTextEncode"]
    assert texts == ["masterpiece, night scene, 1girl, yellow raincoat", "lowres"]
    assert Image.open(result.path).size == (160, 90)
    with pytest.raises(EngineError, match="'day' not found"):
        await image_engine(pool, template="day", templates=store).generate(image_request(tmp_path))


def video_request(tmp_path: Path, **changes: Any) -> VideoRequest:
    fields: dict[str, Any] = {
        "source_image": make_image(tmp_path / "source.png", (96, 64)),
        "motion_prompt": "hair blowing in the wind",
        "output_path": tmp_path / "shots" / "shot_1.mp4",
        "duration": 1.0,
        "fps": 12,
        "width": 96,
        "height": 64,
        "seed": 5,
        "steps": 3,
        **changes,
    }
    return VideoRequest(**fields)


@pytest.mark.parametrize("variant", ["framepack", "ltxv", "wan"])
async def test_video_helper_suite_output_gives_the_same_mp4(pool: ComfyPool, tmp_path: Path, variant: Any) -> None:
    """VideoHelperSuite instead of the core video nodes (which the contract runs): the same stored shot."""
    engine = ComfyVideoEngine(variant, pool=pool, renderer=PoolRenderer(pool), output="vhs")
    request = video_request(tmp_path)
    result = await engine.animate(request)
    assert result.parameters["output_style"] == "vhs" and result.parameters["engine"] == variant
    info = probe(result.path)
    assert (info.video_codec, info.pix_fmt, info.width, info.height, info.fps) == ("h264", "yuv420p", 96, 64, 12)
    assert result.frames == count_frames(result.path) == 12
    assert result.last_frame_path == tmp_path / "shots" / "shot_1_lastframe.png"
    assert sorted(p.name for p in request.output_path.parent.iterdir()) == ["shot_1.mp4", "shot_1_lastframe.png"]


async def test_video_status_lists_what_is_missing(comfy_factory: ComfyFactory) -> None:
    comfy = comfy_factory(models={**MODELS, "diffusion_models": []})
    pool = ComfyPool([comfy.url], **OPTIONS)
    status = await ComfyVideoEngine("wan", pool=pool, renderer=PoolRenderer(pool)).status()
    ready = await ComfyVideoEngine("ltxv", pool=pool, renderer=PoolRenderer(pool)).status()
    await pool.aclose()
    assert status.reachable is False and status.detail == "0/1 ComfyUI backends can run wan"
    assert status.extra["missing"][comfy.url] == [
        "models/diffusion_models/wan2.1_i2v_480p_14B_fp16.safetensors (node 1 UNETLoader.unet_name)"
    ]
    assert ready.reachable is True and ready.kind == "video"


@pytest.mark.parametrize(
    ("pix_fmt", "codec", "extension"), [("yuv420p10le", "libx264", "mp4"), ("yuv420p", "libvpx-vp9", "webm")]
)
async def test_backend_video_is_reencoded_when_needed(tmp_path: Path, pix_fmt: str, codec: str, extension: str) -> None:
    source = tmp_path / f"backend.{extension}"
    await run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc=size=128x96:rate=30:duration=1", "-c:v", codec, "-pix_fmt", pix_fmt, source]
    )
    target = tmp_path / "shot.mp4"
    assert await normalise_video(source, target, VideoTarget(128, 96, 30, 1.0)) is True
    info = probe(target)
    assert (info.video_codec, info.pix_fmt, info.fps) == ("h264", "yuv420p", 30)
    good = tmp_path / "good.mp4"
    await run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc=size=128x96:rate=30:duration=1", "-c:v", "libx264", "-pix_fmt", "yuv420p", good]
    )
    assert await normalise_video(good, tmp_path / "copy.mp4", VideoTarget(128, 96, 30, 1.0)) is False
    assert (tmp_path / "copy.mp4").read_bytes() == good.read_bytes()


async def test_a_reencoded_backend_take_is_in_the_house_dialect_with_its_transition_idrs(tmp_path: Path) -> None:
    """So that scene assembly can stream-copy it like an embedded-engine clip."""
    source = tmp_path / "backend.webm"
    await run_ffmpeg(["-f", "lavfi", "-i", "testsrc=size=128x96:rate=16:duration=1", "-c:v", "libvpx-vp9", source])
    target = tmp_path / "shot.mp4"
    assert await normalise_video(source, target, VideoTarget(128, 96, 24, 1.0, keyframes=(0.25, 0.75))) is True
    house = tmp_path / "house.mp4"
    await run_ffmpeg(["-f", "lavfi", "-i", "testsrc2=size=128x96:rate=24:duration=1", *house_h264(24), house])
    shot, reference = packets.index(target, 24), packets.index(house, 24)
    assert {0, 6, 18} <= set(shot.keyframes) and shot.extradata == reference.extradata


async def test_a_short_backend_take_is_padded_to_the_exact_frame_count(tmp_path: Path) -> None:
    """Models generate in fixed steps (FramePack sections, Wan 4k+1 frames): the shot still gets its timing."""
    short = tmp_path / "short.mp4"
    pattern = "testsrc=size=128x96:rate=16:duration=0.5"
    await run_ffmpeg(["-f", "lavfi", "-i", pattern, "-c:v", "libx264", "-pix_fmt", "yuv420p", short])
    target = tmp_path / "shot.mp4"
    assert await normalise_video(short, target, VideoTarget(128, 96, 24, 1.25)) is True
    assert count_frames(target) == 30 and probe(target).fps == 24
    # Held last frame: the same picture (x264 may still refine a few pixels of a static frame by a level or two).
    held = np.abs(np.asarray(frame_at(target, 29), dtype=int) - np.asarray(frame_at(target, 20), dtype=int))
    moving = np.abs(np.asarray(frame_at(target, 10), dtype=int) - np.asarray(frame_at(target, 20), dtype=int))
    assert held.mean() < 0.01 < 0.5 < moving.mean() and held.max() <= 4


async def test_music_tags_come_from_the_mood_and_prompt(pool: ComfyPool, tmp_path: Path) -> None:
    engine = ComfyAceMusicEngine(pool=pool, renderer=PoolRenderer(pool))
    request = MusicRequest(
        mood="tense", duration=3.5, output_path=tmp_path / "music" / "score.wav", seed=4, prompt="taiko"
    )
    result = await engine.compose(request)
    tags = result.parameters["workflow"]["3"]["inputs"]["tags"]
    assert tags.startswith("suspense") and "taiko" in tags


async def test_music_without_torchaudio_nodes(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    comfy = comfy_factory(without=("SaveAudio", "VAEDecodeAudio"))
    pool = ComfyPool([comfy.url], **OPTIONS)
    engine = ComfyAceMusicEngine(pool=pool, renderer=PoolRenderer(pool))
    with pytest.raises(MissingRequirement, match="torchaudio"):
        await engine.compose(MusicRequest(mood="calm", duration=2, output_path=tmp_path / "m.wav"))
    status = await engine.status()
    await pool.aclose()
    assert status.reachable is False and "torchaudio" in status.extra["missing"][comfy.url][0]


def test_registry_builds_the_comfyui_engines(comfy: Comfy) -> None:
    settings = Settings(
        comfyui_urls=f"{comfy.url},{comfy.url}/",  # type: ignore[arg-type]
        image_engine="comfyui",
        video_engine="ltxv",
        music_engine="comfyui-ace",
        comfyui_ltxv_checkpoint="ltx-video-2b-v0.9.6.safetensors",
    )
    image, video, music = (
        registry.image_engine(settings),
        registry.video_engine(settings),
        registry.music_engine(settings),
    )
    assert (
        isinstance(image, ComfyImageEngine)
        and isinstance(video, ComfyVideoEngine)
        and isinstance(music, ComfyAceMusicEngine)
    )
    assert image.pool is video.pool is music.pool is registry.comfyui_pool(settings)
    assert [b.url for b in image.pool.backends] == [comfy.url]
    assert video.name == "ltxv" and video._main_model() == "ltx-video-2b-v0.9.6.safetensors"


async def test_names_are_resolved_against_the_backend_lists(comfy_factory: ComfyFactory, tmp_path: Path) -> None:
    comfy = comfy_factory(models={**MODELS, "loras": ["characters/hana_v1.safetensors"]})
    pool = ComfyPool([comfy.url], **OPTIONS)
    request = image_request(tmp_path, checkpoint="anything-v5", loras=(LoraSpec("hana_v1"),))
    result = await image_engine(pool).generate(request)
    await pool.aclose()
    assert result.parameters["checkpoint"] == SD15
    assert result.parameters["workflow"]["2"]["inputs"]["lora_name"] == "characters/hana_v1.safetensors"


async def test_the_default_checkpoint_is_never_a_music_or_video_model(
    comfy_factory: ComfyFactory, tmp_path: Path
) -> None:
    music = "ace_step_v1_3.5b.safetensors"  # alphabetically first, as on the real server that drew with it
    mixed = comfy_factory(models={**MODELS, "checkpoints": [music, "ltx-video-2b-v0.9.5.safetensors", SD15]})
    pool = ComfyPool([mixed.url], **OPTIONS)
    result = await image_engine(pool).generate(image_request(tmp_path, checkpoint=""))
    assert result.parameters["checkpoint"] == SD15
    with pytest.raises(EngineError, match=f"ANIME_STUDIO_COMFYUI_DEFAULT_CHECKPOINT '{music}' is an audio or video"):
        await image_engine(pool, default_checkpoint="ace_step_v1_3.5b").generate(image_request(tmp_path, checkpoint=""))
    await pool.aclose()
    only_sound = comfy_factory(models={**MODELS, "checkpoints": [music, "ltx-video-2b-v0.9.5.safetensors"]})
    pool = ComfyPool([only_sound.url], **OPTIONS)
    with pytest.raises(MissingRequirement) as caught:
        await image_engine(pool).generate(image_request(tmp_path, checkpoint=""))
    assert f"only {music}, ltx-video-2b-v0.9.5.safetensors, which make sound or video" in str(caught.value)
    assert "set the style's checkpoint or ANIME_STUDIO_COMFYUI_DEFAULT_CHECKPOINT" in str(caught.value)
    assert only_sound.fake.started == []  # refused before any GPU time was spent
    await pool.aclose()
