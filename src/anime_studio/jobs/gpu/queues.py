"""Queue and lock names of the GPU backends."""

from __future__ import annotations

import hashlib

from anime_studio.config import Settings

GPU_SUBMIT = "anime_studio.gpu_submit"


def queue_name(backend_url: str) -> str:
    """Stable across processes and machines: derived from the backend's URL."""
    return "gpu." + hashlib.sha256(backend_url.rstrip("/").encode()).hexdigest()[:10]


def gpu_queues(settings: Settings) -> list[str]:
    return [queue_name(url) for url in dict.fromkeys(u.rstrip("/") for u in settings.comfyui_urls)]


def uses_gpu_queues(settings: Settings) -> bool:
    """True when some engine renders on ComfyUI and the queued scheduler is selected."""
    comfy = (
        settings.image_engine == "comfyui"
        or settings.video_engine in ("framepack", "ltxv", "wan")
        or settings.music_engine == "comfyui-ace"
    )
    return comfy and bool(settings.comfyui_urls) and settings.comfyui_scheduler == "queue"
