"""One ComfyUI pool per process, built from settings (the registry asks here; engines share it)."""

from __future__ import annotations

from anime_studio.config import Settings
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import PoolRenderer

_pools: dict[tuple[object, ...], ComfyPool] = {}


def _key(settings: Settings) -> tuple[object, ...]:
    return (tuple(settings.comfyui_urls), settings.comfyui_timeout, settings.comfyui_poll_interval)


def pool_for(settings: Settings) -> ComfyPool:
    """The shared pool for ``settings.comfyui_urls`` (created on first use)."""
    key = _key(settings)
    if key not in _pools:
        _pools[key] = ComfyPool(
            settings.comfyui_urls, timeout=settings.comfyui_timeout, poll_interval=settings.comfyui_poll_interval
        )
    return _pools[key]


def renderer_for(settings: Settings) -> PoolRenderer:
    """A renderer on the shared pool."""
    return PoolRenderer(pool_for(settings))
