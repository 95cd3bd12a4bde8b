"""Fixtures: fake ComfyUI servers on real localhost ports, with the model files our workflows use."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from anime_studio.engines.comfyui.pool import ComfyPool
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.live import LiveServer

SD15 = "anything-v5.safetensors"
SDXL = "animagine-xl-3.1.safetensors"
MODELS: dict[str, list[str]] = {
    "checkpoints": [SD15, SDXL, "ltx-video-2b-v0.9.5.safetensors", "ace_step_v1_3.5b.safetensors"],
    "loras": ["hana_v1.safetensors", "rain_style.safetensors", "lineart.safetensors"],
    "text_encoders": [
        "clip_l.safetensors",
        "llava_llama3_fp16.safetensors",
        "t5xxl_fp16.safetensors",
        "umt5_xxl_fp8_e4m3fn_scaled.safetensors",
    ],
    "clip_vision": [
        "sigclip_vision_patch14_384.safetensors",
        "clip_vision_h.safetensors",
        "CLIP-ViT-H-14-laion2B-s32B-b79K.safetensors",
    ],
    "vae": ["hunyuan_video_vae_bf16.safetensors", "wan_2.1_vae.safetensors"],
    "diffusion_models": ["FramePackI2V_HY_fp8_e4m3fn.safetensors", "wan2.1_i2v_480p_14B_fp16.safetensors"],
    "ipadapter": ["ip-adapter-plus_sd15.safetensors", "ip-adapter-plus_sdxl_vit-h.safetensors"],
}


@dataclass
class Comfy:
    """A fake ComfyUI and the live server in front of it."""

    fake: FakeComfyUI
    server: LiveServer

    @property
    def url(self) -> str:
        return self.server.url

    def restart(self) -> None:
        """Crash and come back on the same port: queue and history are gone, files remain."""
        self.server.stop()
        self.server.start()


class ComfyFactory:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.started: list[Comfy] = []

    def __call__(self, *, models: dict[str, list[str]] | None = None, **options: Any) -> Comfy:
        fake = FakeComfyUI(
            self.root / f"comfy{len(self.started)}", models=MODELS if models is None else models, **options
        )
        comfy = Comfy(fake, LiveServer(fake.app).start())
        self.started.append(comfy)
        return comfy

    def close(self) -> None:
        for comfy in self.started:
            comfy.server.stop()


@pytest.fixture
def comfy_factory(tmp_path: Path) -> Iterator[ComfyFactory]:
    """Start fake ComfyUI servers on demand; all are stopped after the test."""
    factory = ComfyFactory(tmp_path)
    yield factory
    factory.close()


@pytest.fixture
def comfy(comfy_factory: ComfyFactory) -> Comfy:
    """One fake ComfyUI with every model file our workflows use, 50 ms per prompt."""
    return comfy_factory(duration=0.05)


def make_image(path: Path, size: tuple[int, int] = (96, 64), color: tuple[int, int, int] = (30, 120, 200)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, color)
    image.paste((250, 250, 250), (size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2))
    image.save(path)
    return path


# Pool timings that keep pool tests fast: short polls and grace, and a parked backend stays parked.
FAST = {"poll_interval": 0.2, "unreachable_grace": 0.3, "backoff": (30.0, 60.0), "timeout": 30.0}


@pytest.fixture
async def pools() -> AsyncIterator[list[ComfyPool]]:
    created: list[ComfyPool] = []
    yield created
    for pool in created:
        await pool.aclose()


def make_pool(pools: list[ComfyPool], urls: list[str], **options: Any) -> ComfyPool:
    pool = ComfyPool(urls, **{**FAST, **options})
    pools.append(pool)
    return pool
