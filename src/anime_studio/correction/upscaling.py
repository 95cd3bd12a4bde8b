"""``fix_resolution``: an upscale model where the image engine has one (ComfyUI), Lanczos otherwise."""

from __future__ import annotations

import asyncio
from pathlib import Path

from anime_studio.correction import edits, imageops
from anime_studio.engines.base import MissingRequirement
from anime_studio.engines.image.base import ImageEngine, ImageUpscaler
from anime_studio.media import images


async def upscale(engine: ImageEngine, source: Path, output: Path, *, short_side: int) -> str:
    """Write the enlarged picture to ``output``; returns what was done, measured."""
    size = images.size_of(source)
    target = imageops.upscale_size(size, short_side)
    if isinstance(engine, ImageUpscaler):
        try:
            result = await engine.upscale(source, output, width=target[0], height=target[1])
        except MissingRequirement as missing:
            why = f" ({engine.name}: {missing})"
        else:
            model = result.parameters.get("upscale_model", "")
            return f"{model} upscale on {engine.name} {size[0]}×{size[1]} → {target[0]}×{target[1]}"
    else:
        why = ""
    edited = await asyncio.to_thread(edits.edit, "fix_resolution", source, short_side=short_side)
    assert edited is not None
    await asyncio.to_thread(output.write_bytes, edited.png)
    return edited.detail + why
