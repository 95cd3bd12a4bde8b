"""Upscale an image with an upscale model (ESRGAN family), then fit it to the exact size asked for."""

from __future__ import annotations

from typing import Any

from anime_studio.engines.comfyui.workflows.graph import Graph


def build_upscale_workflow(*, image: str, model: str, width: int, height: int) -> dict[str, Any]:
    """``LoadImage → UpscaleModelLoader → ImageUpscaleWithModel → ImageScale (lanczos) → SaveImage``.

    The model multiplies by its own factor (2×, 4×); the Lanczos step lands on ``width``×``height``.
    """
    g = Graph()
    source = g.add("LoadImage", "Image to upscale", image=image)
    loader = g.add("UpscaleModelLoader", "Upscale model", model_name=model)
    upscaled = g.add("ImageUpscaleWithModel", image=source[0], upscale_model=loader[0])
    fitted = g.add(
        "ImageScale", image=upscaled[0], upscale_method="lanczos", width=width, height=height, crop="disabled"
    )
    g.add("SaveImage", images=fitted[0], filename_prefix="anime_studio/upscale")
    return g.to_workflow()
