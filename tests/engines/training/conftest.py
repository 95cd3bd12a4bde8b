"""The ComfyUI fixtures (fake servers, pools) for the training engine's tests."""

from tests.engines.comfyui.conftest import comfy_factory, pools

__all__ = ["comfy_factory", "pools"]
