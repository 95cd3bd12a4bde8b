"""The ComfyUI image engine: SD1.5/SDXL checkpoints, LoRA stack, IP-Adapter references, img2img, templates."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from PIL import Image

from anime_studio.engines.base import EngineError, EngineStatus, MissingRequirement, Progress
from anime_studio.engines.comfyui.catalog import NodeSchemas, is_image_checkpoint, resolve_file
from anime_studio.engines.comfyui.pool import MAX_QUEUED, MAX_RUNNING, ComfyPool
from anime_studio.engines.comfyui.render import Renderer, RenderJob, hashed_name_async
from anime_studio.engines.comfyui.templates import TemplateStore, TemplateValues, apply_template
from anime_studio.engines.comfyui.workflows.image import (
    ImageGraph,
    IpAdapter,
    build_image_workflow,
    guess_family,
    ip_adapter_unavailable,
)
from anime_studio.engines.comfyui.workflows.upscale import build_upscale_workflow
from anime_studio.engines.image.base import ImageRequest, ImageResult, LoraSpec
from anime_studio.media import images

MAX_REFERENCES = 4
DEFAULT_SETTING = "ANIME_STUDIO_COMFYUI_DEFAULT_CHECKPOINT"
MIN_SIZE, MAX_SIZE = 16, 16384
"""The sizes ComfyUI's ``EmptyLatentImage`` accepts (its ``MAX_RESOLUTION``)."""


class ComfyImageEngine:
    """Builds the workflow for an ``ImageRequest``, renders it in the pool, writes the PNG."""

    name = "comfyui"

    def __init__(
        self,
        *,
        pool: ComfyPool,
        renderer: Renderer,
        default_checkpoint: str = "",
        template: str = "",
        templates: TemplateStore | None = None,
    ) -> None:
        self.pool = pool
        self.renderer = renderer
        self.default_checkpoint = default_checkpoint
        self.template = template
        self.templates = templates

    async def generate(self, request: ImageRequest, *, progress: Progress | None = None) -> ImageResult:
        """Render one image to ``request.output_path`` (PNG, exactly ``width`` by ``height``)."""
        started = time.monotonic()
        validate(request)
        schemas = await self.pool.schemas()
        checkpoint = self._checkpoint(request, schemas)
        uploads: dict[str, Path] = {}
        init_name = await _upload_name(request.init_image, uploads) if request.init_image else None
        workflow, notes = await self._workflow(request, schemas, checkpoint, init_name, uploads)
        job = RenderJob(
            workflow=workflow, uploads=uploads, checkpoint=checkpoint, label=f"image {request.output_path.name}"
        )
        output = await self.renderer.render(job, progress=progress)
        image = output.first("image")
        await asyncio.to_thread(write_png, image.data, request.output_path, (request.width, request.height))
        parameters = {
            "engine": self.name,
            "backend": output.backend,
            "prompt_id": output.prompt_id,
            "checkpoint": checkpoint,
            "workflow": output.workflow or workflow,
            "uploads": {name: str(path) for name, path in uploads.items()},
            **notes,
        }
        if output.notes:
            parameters["render_notes"] = list(output.notes)
        return ImageResult(request.output_path, request.seed, self.name, time.monotonic() - started, parameters)

    async def upscale(
        self, source: Path, output: Path, *, width: int, height: int, progress: Progress | None = None
    ) -> ImageResult:
        """Enlarge ``source`` with the first upscale model the backends list, to exactly ``width``×``height``."""
        started = time.monotonic()
        for label, value in (("width", width), ("height", height)):
            if not MIN_SIZE <= value <= MAX_SIZE:
                raise EngineError(f"{label} must be between {MIN_SIZE} and {MAX_SIZE} pixels (got {value})")
        models = sorted({n for s in await self.pool.schemas() for n in s.files("UpscaleModelLoader", "model_name")})
        if not models:
            raise MissingRequirement("no upscale model to enlarge with", ["a model file in models/upscale_models"])
        uploads: dict[str, Path] = {}
        name = await _upload_name(source, uploads)
        workflow = build_upscale_workflow(image=name, model=models[0], width=width, height=height)
        job = RenderJob(workflow=workflow, uploads=uploads, label=f"upscale {output.name}")
        rendered = await self.renderer.render(job, progress=progress)
        await asyncio.to_thread(write_png, rendered.first("image").data, output, (width, height))
        parameters = {
            "engine": self.name,
            "backend": rendered.backend,
            "prompt_id": rendered.prompt_id,
            "upscale_model": models[0],
            "workflow": rendered.workflow or workflow,
        }
        return ImageResult(output, 0, self.name, time.monotonic() - started, parameters)

    def _checkpoint(self, request: ImageRequest, schemas: list[NodeSchemas]) -> str:
        """The style's checkpoint, else the configured default, else the first image checkpoint on offer.

        Never a music or video model (ACE-Step, LTX-Video … sit in ``models/checkpoints`` too and pass
        ComfyUI's validation); when nothing listed is an image model, refuse and name the settings.
        """
        listed = sorted({name for s in schemas for name in s.files("CheckpointLoaderSimple", "ckpt_name")})
        for wanted, where in (
            (request.checkpoint, "the style's checkpoint"),
            (self.default_checkpoint, DEFAULT_SETTING),
        ):
            if wanted:
                chosen = resolve_file(wanted, listed)
                if not is_image_checkpoint(chosen):
                    raise EngineError(
                        f"{where} {chosen!r} is an audio or video model, not an image checkpoint: "
                        f"choose an image checkpoint ({', '.join(_checkpoints(schemas)) or 'none installed'})"
                    )
                return chosen
        images = _checkpoints(schemas)
        if images:
            return images[0]
        others = f" (only {', '.join(listed)}, which make sound or video)" if listed else ""
        raise MissingRequirement(
            f"no image checkpoint to draw with{others}; set the style's checkpoint or {DEFAULT_SETTING}",
            ["an SD1.5 or SDXL .safetensors file in models/checkpoints"],
        )

    async def _workflow(
        self,
        request: ImageRequest,
        schemas: list[NodeSchemas],
        checkpoint: str,
        init_name: str | None,
        uploads: dict[str, Path],
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.template:
            return await self._from_template(request, init_name)
        ip_adapter, note = await self._ip_adapter(request, schemas, checkpoint, uploads)
        spec = ImageGraph(
            checkpoint=checkpoint,
            prompt=request.prompt,
            negative=request.negative,
            seed=request.seed,
            width=request.width,
            height=request.height,
            steps=request.steps,
            cfg=request.cfg,
            sampler=request.sampler,
            scheduler=request.scheduler,
            loras=_resolve_loras(request.loras, schemas),
            init_image=init_name,
            denoise=request.denoise if init_name else 1.0,
            ip_adapter=ip_adapter,
        )
        return build_image_workflow(spec), {"ip_adapter": note, "family": guess_family(checkpoint)}

    async def _ip_adapter(
        self, request: ImageRequest, schemas: list[NodeSchemas], checkpoint: str, uploads: dict[str, Path]
    ) -> tuple[IpAdapter | None, dict[str, Any]]:
        """Use IP-Adapter when there are references and some backend has its nodes and models."""
        references = sorted(request.reference_images)[:MAX_REFERENCES]
        if not references:
            return None, {"used": False, "reason": "no reference images"}
        reasons = [ip_adapter_unavailable(s, guess_family(checkpoint)) for s in schemas]
        if all(reasons):
            return None, {"used": False, "reason": str(reasons[0])}
        names = tuple([await _upload_name(path, uploads) for path in references])
        options = IpAdapter(references=names)
        return options, {"used": True, "weight": options.weight, "end_at": options.end_at, "references": len(names)}

    async def _from_template(
        self, request: ImageRequest, init_name: str | None
    ) -> tuple[dict[str, Any], dict[str, Any]]:
        if self.templates is None:
            raise EngineError(f"comfyui_image_template is {self.template!r} but no template store is configured")
        template = await self.templates.load(self.template)
        values = TemplateValues(
            prompt=request.prompt,
            negative=request.negative,
            seed=request.seed,
            width=request.width,
            height=request.height,
            steps=request.steps,
            cfg=request.cfg,
            image=init_name,
            lora=request.loras[0] if request.loras else None,
        )
        return apply_template(template, values), {"template": self.template, "markers": template.markers}

    def parallel_prompts(self) -> int:
        """One running + one queued prompt per backend that is not parked."""
        return max(1, (MAX_RUNNING + MAX_QUEUED) * len(self.pool.up()))

    async def models(self) -> list[str]:
        """Checkpoints listed by the reachable backends (union, sorted)."""
        return _checkpoints(await self.pool.schemas(max_age=60.0))

    async def status(self) -> EngineStatus:
        """Reachability, VRAM and loaded checkpoint of every backend, and the checkpoints on offer."""
        backends = await self.pool.refresh()
        up = [b for b in backends if b.reachable]
        models = _checkpoints(list((await self.pool.reachable_schemas()).values())) if up else []
        detail = f"{len(up)}/{len(backends)} ComfyUI backends reachable" if backends else "no ComfyUI URL configured"
        extra: dict[str, Any] = {"backends": [b.model_dump() for b in backends], "template": self.template or None}
        return EngineStatus(kind="image", name=self.name, reachable=bool(up), detail=detail, models=models, extra=extra)


def validate(request: ImageRequest) -> None:
    """Refuse what no backend can render before any GPU time is spent (a 0-pixel PNG crashed after the render)."""
    for label, value in (("width", request.width), ("height", request.height)):
        if not MIN_SIZE <= value <= MAX_SIZE:
            raise EngineError(f"{label} must be between {MIN_SIZE} and {MAX_SIZE} pixels (got {value})")
    if not 0.0 <= request.denoise <= 1.0:
        raise EngineError(f"denoise must be between 0 and 1 (got {request.denoise})")


def _resolve_loras(loras: tuple[LoraSpec, ...], schemas: list[NodeSchemas]) -> tuple[LoraSpec, ...]:
    """LoRA names as the backends list them ("hana_v1" → "characters/hana_v1.safetensors")."""
    listed = sorted({name for s in schemas for name in s.files("LoraLoader", "lora_name")})
    return tuple(replace(lora, name=resolve_file(lora.name, listed)) for lora in loras)


def _checkpoints(schemas: list[NodeSchemas]) -> list[str]:
    """Image checkpoints on offer (audio and video model families left out)."""
    names = {name for s in schemas for name in s.files("CheckpointLoaderSimple", "ckpt_name")}
    return sorted(filter(is_image_checkpoint, names))


async def _upload_name(path: Path, uploads: dict[str, Path]) -> str:
    if not path.is_file():
        raise EngineError(f"input image not found: {path}")
    name = await hashed_name_async(path)
    uploads[name] = path
    return name


def write_png(data: bytes, target: Path, size: tuple[int, int]) -> None:
    """Check the backend's bytes are an image, fit them to ``size`` and write a PNG atomically."""
    try:
        with images.opened(data, name="the returned image") as source:
            source.load()
            image = source.copy() if source.mode in ("RGB", "RGBA") else source.convert("RGB")
    except (OSError, ValueError) as error:
        raise EngineError(f"ComfyUI returned an unreadable image: {error}") from error
    if image.size != size:
        image = image.resize(size, Image.Resampling.LANCZOS)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    image.save(partial, format="PNG")
    partial.replace(target)
