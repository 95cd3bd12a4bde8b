"""Music through ComfyUI's core ACE-Step nodes (needs the ACE-Step checkpoint and torchaudio on the backend)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from anime_studio.engines.base import EngineStatus, Progress
from anime_studio.engines.comfyui.mediafiles import to_wav
from anime_studio.engines.comfyui.pool import ComfyPool
from anime_studio.engines.comfyui.render import Renderer, RenderJob
from anime_studio.engines.comfyui.requirements import check_workflow
from anime_studio.engines.comfyui.workflows.music import INSTRUMENTAL, MusicGraph, ace_step_workflow
from anime_studio.engines.music.base import MusicRequest, MusicResult
from anime_studio.engines.music.checks import make_folder, validate

MOOD_TAGS: dict[str, str] = {
    "tense": "suspense, low strings, pulsing synth, dark",
    "peaceful": "calm, soft piano, warm pads, gentle",
    "romantic": "romantic, strings, piano, tender",
    "action": "epic, fast drums, electric guitar, energetic",
    "sad": "melancholic, solo piano, slow, emotional",
    "mysterious": "mysterious, ambient, celesta, reverb",
    "joyful": "upbeat, bright, acoustic guitar, happy",
}


def tags_for(request: MusicRequest) -> str:
    """ACE-Step style tags from the mood (known moods get instrument hints) and the extra prompt."""
    mood = request.mood.strip().lower()
    parts = [MOOD_TAGS.get(mood, mood), request.prompt.strip(), "anime soundtrack, instrumental"]
    return ", ".join(p for p in parts if p)


class ComfyAceMusicEngine:
    """Renders an ACE-Step graph and converts its FLAC to the studio's faded stereo WAV."""

    name = "comfyui-ace"

    def __init__(self, *, pool: ComfyPool, renderer: Renderer, checkpoint: str = MusicGraph.checkpoint) -> None:
        self.pool = pool
        self.renderer = renderer
        self.checkpoint = checkpoint
        self.model = checkpoint

    def build(self, request: MusicRequest) -> dict[str, Any]:
        spec = MusicGraph(
            tags=tags_for(request),
            seconds=request.duration,
            seed=request.seed,
            checkpoint=self.checkpoint,
            lyrics=request.lyrics.strip() or INSTRUMENTAL,
        )
        return ace_step_workflow(spec)

    async def compose(self, request: MusicRequest, *, progress: Progress | None = None) -> MusicResult:
        """Write a stereo WAV of ``duration`` seconds (faded in/out) to ``output_path``."""
        validate(request)
        make_folder(request)
        started = time.monotonic()
        workflow = self.build(request)
        output = await self.renderer.render(
            RenderJob(workflow=workflow, checkpoint=self.checkpoint, label=f"music {request.mood}"), progress=progress
        )
        audio = output.first("audio")
        with tempfile.TemporaryDirectory(prefix=".comfy-", dir=request.output_path.parent) as tmp:
            raw = Path(tmp) / f"backend{Path(audio.filename).suffix or '.flac'}"
            raw.write_bytes(audio.data)
            await to_wav(
                raw, request.output_path, duration=request.duration, fade_in=request.fade_in, fade_out=request.fade_out
            )
        parameters = {
            "engine": self.name,
            "backend": output.backend,
            "prompt_id": output.prompt_id,
            "workflow": workflow,
            "render_seconds": round(time.monotonic() - started, 3),
        }
        return MusicResult(request.output_path, request.duration, self.name, parameters)

    async def status(self) -> EngineStatus:
        """Which backends have the ACE-Step checkpoint and the (torchaudio-dependent) audio nodes."""
        backends = await self.pool.refresh()
        missing: dict[str, list[str]] = {}
        ready = 0
        workflow = self.build(MusicRequest(mood="calm", duration=10, output_path=Path("probe.wav")))
        for url, schemas in (await self.pool.reachable_schemas()).items():
            report = check_workflow(workflow, schemas, url=url)
            ready += report.ok
            if not report.ok:
                missing[url] = report.missing() + report.bad_values
        detail = (
            f"{ready}/{len(backends)} ComfyUI backends can run ACE-Step" if backends else "no ComfyUI URL configured"
        )
        extra: dict[str, Any] = {"backends": [b.model_dump() for b in backends], "missing": missing}
        return EngineStatus(
            kind="music", name=self.name, reachable=ready > 0, detail=detail, models=[self.checkpoint], extra=extra
        )
