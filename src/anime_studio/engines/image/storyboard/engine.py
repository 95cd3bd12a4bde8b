"""The ``storyboard`` image engine: deterministic storyboard panels drawn with Pillow on the CPU."""

from __future__ import annotations

import asyncio
import io
import json
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, PngImagePlugin, UnidentifiedImageError

from anime_studio.engines.base import EngineError, EngineStatus, Progress, no_progress
from anime_studio.engines.image.base import ImageRequest, ImageResult, SceneHint
from anime_studio.engines.image.storyboard import overlay
from anime_studio.engines.image.storyboard.compose import Panel, render_scene
from anime_studio.engines.image.storyboard.framing import ANGLES, SHOTS
from anime_studio.engines.image.storyboard.sheet import key_colors, render_sheet
from anime_studio.media import images

RENDERER = "storyboard-v1"
MIN_SIZE, MAX_SIZE = 64, 4096


class StoryboardEngine:
    """Storyboard / animatic panels: composition by shot type, world palette, time, weather, mood, figures.

    Same request and seed give a byte-identical PNG. With ``init_image`` the panel is blended over the
    init image: ``out = init * (1 - denoise) + panel * denoise`` (annotations are drawn on top, crisp).
    """

    name = "storyboard"

    def __init__(self, *, font: Path | None = None) -> None:
        self.typeface = overlay.Typeface(font)

    async def generate(self, request: ImageRequest, *, progress: Progress | None = None) -> ImageResult:
        """Render one panel to ``request.output_path`` (PNG)."""
        report = progress or no_progress
        validate(request)
        started = time.perf_counter()
        await report(0.05, "composing storyboard panel")
        png, parameters = await asyncio.to_thread(render_png, request, self.typeface)
        await asyncio.to_thread(_write, request.output_path, png)
        await report(1.0, "panel rendered")
        return ImageResult(
            path=request.output_path,
            seed=request.seed,
            engine=self.name,
            duration=time.perf_counter() - started,
            parameters=parameters,
        )

    async def models(self) -> list[str]:
        """The renderer's one pseudo-checkpoint."""
        return [RENDERER]

    async def status(self) -> EngineStatus:
        """Always reachable: it is a library, not a service."""
        return EngineStatus(
            kind="image",
            name=self.name,
            reachable=True,
            detail="embedded storyboard renderer (Pillow, CPU)",
            models=[RENDERER],
            extra={
                "shot_types": list(SHOTS),
                "camera_angles": list(ANGLES),
                "max_size": MAX_SIZE,
                "font": self.typeface.name,
            },
        )


def validate(request: ImageRequest) -> None:
    """Reject what cannot be rendered with a message a user understands."""
    for label, value in (("width", request.width), ("height", request.height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            raise EngineError(f"{label} must be between {MIN_SIZE} and {MAX_SIZE} pixels (got {value})")
    if request.output_path.suffix.lower() != ".png":
        raise EngineError(
            f"the storyboard engine writes PNG files; output path must end in .png: {request.output_path.name}"
        )
    if not 0.0 <= request.denoise <= 1.0:
        raise EngineError(f"denoise must be between 0 and 1 (got {request.denoise})")
    if request.init_image is not None and not request.init_image.is_file():
        raise EngineError(f"init image not found: {request.init_image.name}")
    if request.scene is None and not request.characters:
        return
    for hint in request.characters:
        if not hint.name.strip():
            raise EngineError("every character needs a name")


def render_png(request: ImageRequest, typeface: overlay.Typeface) -> tuple[bytes, dict[str, Any]]:
    """The PNG bytes of the panel and the parameters that reproduce it."""
    panel = _render(request)
    image = panel.image
    if request.init_image is not None and request.denoise < 1.0:
        image = _blend_init(image, request.init_image, request.denoise)
    for name, (x, y) in panel.labels:
        overlay.label(image, typeface, name, x, y)
    if request.scene is None and len(request.characters) == 1:
        overlay.swatches(image, typeface, key_colors(request.characters[0]))
    overlay.caption_tab(image, typeface, panel.heading, panel.caption)
    overlay.border(image)
    parameters = _parameters(request, panel, typeface)
    info = PngImagePlugin.PngInfo()
    info.add_text("parameters", json.dumps(parameters, sort_keys=True))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", pnginfo=info, compress_level=4)
    return buffer.getvalue(), parameters


def _render(request: ImageRequest) -> Panel:
    if request.scene is not None:
        return render_scene(request, request.scene)
    if request.characters:
        return render_sheet(request)
    # Neither scene nor characters: read the place, time and weather from the prompt.
    return render_scene(request, SceneHint(location=request.prompt, shot_type="establishing", caption=""))


def _blend_init(panel: Image.Image, path: Path, denoise: float) -> Image.Image:
    """``init * (1 - denoise) + panel * denoise``, the init image cover-fitted to the panel size."""
    try:
        with images.opened(path) as source:
            init = _cover(source.convert("RGB"), panel.size)
    except (UnidentifiedImageError, OSError) as error:
        raise EngineError(f"init image is not a readable image: {path.name}") from error
    a = np.asarray(init, dtype=np.float32)
    b = np.asarray(panel, dtype=np.float32)
    return Image.fromarray(np.clip(a * (1 - denoise) + b * denoise + 0.5, 0, 255).astype(np.uint8), "RGB")


def _cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """Scale to cover ``size`` and centre-crop (no bars, no distortion)."""
    w, h = size
    s = max(w / image.width, h / image.height)
    cw, ch = w / s, h / s
    x0, y0 = (image.width - cw) / 2, (image.height - ch) / 2
    return image.resize(size, Image.Resampling.BICUBIC, box=(x0, y0, x0 + cw, y0 + ch))


def _parameters(request: ImageRequest, panel: Panel, typeface: overlay.Typeface) -> dict[str, Any]:
    return {
        "renderer": RENDERER,
        "font": typeface.name,
        "prompt": request.prompt,
        "negative": request.negative,
        "seed": request.seed,
        "width": request.width,
        "height": request.height,
        "checkpoint_requested": request.checkpoint,
        "characters": [asdict(c) for c in request.characters],
        "scene": asdict(request.scene) if request.scene is not None else None,
        "init_image": str(request.init_image) if request.init_image is not None else None,
        "denoise": request.denoise,
        "resolved": panel.resolved,
    }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
