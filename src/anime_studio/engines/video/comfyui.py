"""ComfyUI image→video engines: ``framepack`` (kijai wrapper), ``ltxv`` (core LTX-Video), ``wan`` (core Wan 2.1)."""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any, Literal

from anime_studio.engines.base import EngineStatus, Progress
from anime_studio.engines.comfyui.catalog import NodeSchemas
from anime_studio.engines.comfyui.mediafiles import (
    VideoTarget,
    count_frames,
    extract_last_frame,
    normalise_video,
    probe_async,
)
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import Renderer, RenderJob, hashed_name_async
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.workflows.video import (
    FramePackModels,
    LtxvModels,
    OutputStyle,
    Variant,
    VideoGraph,
    WanModels,
    framepack_workflow,
    ltxv_workflow,
    output_style,
    wan_workflow,
)
from anime_studio.engines.video.base import VideoRequest, VideoResult
from anime_studio.engines.video.checks import load_source, validate

DEFAULT_NEGATIVE = "low quality, blurry, distorted, watermark"
Models = FramePackModels | LtxvModels | WanModels


class ComfyVideoEngine:
    """Uploads the source image, runs the variant's graph, stores an H.264 MP4 and its last frame."""

    chains_from_source = False  # the model animates the picture: its last frame is new content to go on from

    def __init__(
        self,
        variant: Variant,
        *,
        pool: ComfyPool,
        renderer: Renderer,
        output: OutputStyle | Literal["auto"] = "auto",
        models: Models | None = None,
    ) -> None:
        self.name: str = variant
        self.variant: Variant = variant
        self.pool = pool
        self.renderer = renderer
        self.output = output
        self.models: Models = models or {"framepack": FramePackModels, "ltxv": LtxvModels, "wan": WanModels}[variant]()

    def build(self, spec: VideoGraph) -> dict[str, Any]:
        """The variant's workflow for one job."""
        if isinstance(self.models, FramePackModels):
            return framepack_workflow(spec, self.models)
        if isinstance(self.models, LtxvModels):
            return ltxv_workflow(spec, self.models)
        return wan_workflow(spec, self.models)

    async def animate(self, request: VideoRequest, *, progress: Progress | None = None) -> VideoResult:
        """Render ``source_image`` into an H.264/yuv420p MP4 at ``output_path`` plus ``<stem>_lastframe.png``."""
        started = time.monotonic()
        validate(request)
        await asyncio.to_thread(load_source, request.source_image)
        schemas = await self.pool.schemas()
        name = await hashed_name_async(request.source_image)
        spec = VideoGraph(
            image=name,
            prompt=request.motion_prompt,
            negative=request.negative or DEFAULT_NEGATIVE,
            seed=request.seed,
            width=request.width,
            height=request.height,
            duration=request.duration,
            fps=request.fps,
            steps=request.steps,
            output=self._style(schemas),
        )
        workflow = self.build(spec)
        job = RenderJob(
            workflow=workflow,
            uploads={name: request.source_image},
            checkpoint=self._main_model(),
            label=f"{self.name} {request.output_path.name}",
        )
        output = await self.renderer.render(job, progress=progress)
        video = output.first("video")
        reencoded = await self._store(video.data, video.filename, request)
        last_frame = request.output_path.with_name(f"{request.output_path.stem}_lastframe.png")
        await extract_last_frame(request.output_path, last_frame)
        info = await probe_async(request.output_path)
        parameters = {
            "engine": self.name,
            "backend": output.backend,
            "prompt_id": output.prompt_id,
            "workflow": workflow,
            "output_style": spec.output,
            "backend_file": video.filename,
            "reencoded": reencoded,
        }
        if output.notes:
            parameters["render_notes"] = list(output.notes)
            parameters["workflow"] = output.workflow or workflow
        frames = await asyncio.to_thread(count_frames, request.output_path)
        duration = time.monotonic() - started
        parameters["render_seconds"] = round(duration, 3)
        return VideoResult(request.output_path, last_frame, info.duration, request.fps, frames, self.name, parameters)

    def _style(self, schemas: list[NodeSchemas]) -> OutputStyle:
        styles = [output_style(s, self.output) for s in schemas]
        preferred = self.output if self.output != "auto" else "core"
        return preferred if preferred in styles else styles[0]

    def _main_model(self) -> str:
        models = self.models
        return models.checkpoint if isinstance(models, LtxvModels) else models.model

    async def _store(self, data: bytes, filename: str, request: VideoRequest) -> bool:
        request.output_path.parent.mkdir(parents=True, exist_ok=True)
        suffix = Path(filename).suffix or ".mp4"
        with tempfile.TemporaryDirectory(prefix=".comfy-", dir=request.output_path.parent) as tmp:
            raw = Path(tmp) / f"backend{suffix}"
            raw.write_bytes(data)
            target = VideoTarget(request.width, request.height, request.fps, request.duration, request.keyframes)
            return await normalise_video(raw, request.output_path, target)

    async def status(self) -> EngineStatus:
        """Backends, and what the variant's graph still lacks on each reachable one."""
        backends = await self.pool.refresh()
        up = [b for b in backends if b.reachable]
        missing: dict[str, list[str]] = {}
        probe_spec = VideoGraph(
            image="example.png", prompt="", negative="", seed=0, width=512, height=512, duration=1, fps=24
        )
        for url, schemas in (await self.pool.reachable_schemas()).items():
            report = check_workflow(self.build(probe_spec), schemas, url=url)
            if not report.ok:
                missing[url] = report.missing() + report.bad_values
        ready = len(up) - len(missing)
        detail = (
            f"{ready}/{len(backends)} ComfyUI backends can run {self.name}" if backends else "no ComfyUI URL configured"
        )
        extra: dict[str, Any] = {"backends": [b.model_dump() for b in backends], "missing": missing}
        return EngineStatus(
            kind="video", name=self.name, reachable=ready > 0, detail=detail, models=[self._main_model()], extra=extra
        )
