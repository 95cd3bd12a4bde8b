"""The ``kenburns`` video engine: a still image → H.264 MP4 with a smooth camera move, on the CPU.

Frames are rendered in Python with sub-pixel crop boxes (Pillow's ``resize(box=…)``: a separable
bicubic filter that takes fractional boxes), then piped raw into the bundled ffmpeg for x264 encoding.
Measured on 2 cores, this beats ffmpeg's own routes (``zoompan`` on a 4x upscale; a per-frame
``perspective`` filter) at equal or better smoothness, and ``zoompan`` without the upscale jitters.
The last frame is decoded back from the finished file, so the PNG is exactly what a player shows.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from PIL import Image

from anime_studio.engines.base import EngineStatus, Progress, no_progress
from anime_studio.engines.video.base import VideoRequest, VideoResult
from anime_studio.engines.video.camera_moves import MOVES, Move, choose_move, cover_box, source_box
from anime_studio.engines.video.checks import load_source, validate
from anime_studio.media.ffmpeg import HOUSE_CRF, HOUSE_PRESET, ffmpeg_exe, house_h264, run_ffmpeg
from anime_studio.media.frames import last_frame

BATCH = 6  # frames rendered per thread hop: amortises the hop, keeps memory small


class KenBurnsEngine:
    """Pan, zoom, tilt, drift or handheld shake over a still, chosen from the motion prompt and shot type."""

    name = "kenburns"
    chains_from_source = True

    def __init__(self, *, preset: str = HOUSE_PRESET, crf: int = HOUSE_CRF) -> None:
        self.preset = preset
        self.crf = crf

    async def animate(self, request: VideoRequest, *, progress: Progress | None = None) -> VideoResult:
        """Render the clip to ``request.output_path`` and its last frame to ``<stem>_last.png`` beside it."""
        report = progress or no_progress
        frames = validate(request)
        source = await asyncio.to_thread(load_source, request.source_image)
        move = Move(
            choose_move(request.motion_prompt, request.shot_type, request.seed),
            request.shot_type,
            request.seed,
            request.duration,
        )
        last_path = request.output_path.with_name(f"{request.output_path.stem}_last.png")
        request.output_path.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        await report(0.0, f"camera move: {move.kind.replace('_', ' ')}")

        async def encoding(fraction: float, message: str) -> None:
            await report(0.95 * fraction, f"rendering {move.kind.replace('_', ' ')}")

        try:
            await run_ffmpeg(
                self._arguments(request),
                stdin=_frames(source, move, request, frames),
                expected_duration=frames / request.fps,
                progress=encoding,
            )
            image = await asyncio.to_thread(last_frame, request.output_path)
            await asyncio.to_thread(image.save, last_path, "PNG")
        except BaseException:
            for path in (request.output_path, last_path):
                path.unlink(missing_ok=True)
            raise
        await report(1.0, "clip rendered")
        return VideoResult(
            path=request.output_path,
            last_frame_path=last_path,
            duration=frames / request.fps,
            fps=request.fps,
            frames=frames,
            engine=self.name,
            parameters=self._parameters(request, move, frames, time.perf_counter() - started),
        )

    async def status(self) -> EngineStatus:
        """Reachable when the bundled ffmpeg binary is there."""
        try:
            exe = Path(ffmpeg_exe())
        except (RuntimeError, OSError) as error:
            return EngineStatus(kind="video", name=self.name, reachable=False, detail=f"ffmpeg not available: {error}")
        ok = exe.is_file()
        return EngineStatus(
            kind="video",
            name=self.name,
            reachable=ok,
            detail="embedded camera-move renderer (Pillow + ffmpeg/x264, CPU)" if ok else f"ffmpeg missing at {exe}",
            models=["kenburns-v1"],
            extra={"moves": list(MOVES), "encoder": "libx264", "preset": self.preset, "crf": self.crf},
        )

    def _arguments(self, request: VideoRequest) -> list[str | Path]:
        size = f"{request.width}x{request.height}"
        return [
            "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size, "-framerate", str(request.fps), "-i", "pipe:0",
            # Convert with the BT.709 matrix and say so in the stream, so decoders (and our last-frame PNG)
            # get the same colours back; untagged HD video is read as 709 by browsers anyway.
            "-vf", "scale=out_color_matrix=bt709:out_range=tv:flags=accurate_rnd+full_chroma_int,format=yuv420p",
            # The house dialect with IDRs where transitions begin and end: assembly stream-copies the rest.
            *house_h264(request.fps, keyframes=request.keyframes, preset=self.preset, crf=self.crf),
            "-movflags", "+faststart", "-an", request.output_path,
        ]  # fmt: skip

    def _parameters(self, request: VideoRequest, move: Move, frames: int, seconds: float) -> dict[str, Any]:
        return {
            "renderer": "kenburns-v1",
            "move": move.kind,
            "source_image": str(request.source_image),
            "motion_prompt": request.motion_prompt,
            "shot_type": request.shot_type,
            "camera_angle": request.camera_angle,
            "seed": request.seed,
            "duration": request.duration,
            "fps": request.fps,
            "frames": frames,
            "width": request.width,
            "height": request.height,
            "encoder": {"codec": "libx264", "preset": self.preset, "crf": self.crf, "pix_fmt": "yuv420p"},
            "keyframes": list(request.keyframes),
            "render_seconds": round(seconds, 3),
        }


def render_frame(source: Image.Image, move: Move, size: tuple[int, int], t: float) -> Image.Image:
    """One frame: the move's window at time ``t`` resampled (bicubic, sub-pixel box) to ``size``."""
    base = cover_box(source.size, size)
    return source.resize(size, Image.Resampling.BICUBIC, box=source_box(move.at(t), base))


async def _frames(source: Image.Image, move: Move, request: VideoRequest, count: int) -> AsyncIterator[bytes]:
    """Raw RGB frames, rendered in a worker thread a batch at a time (Pillow releases the GIL)."""
    size = (request.width, request.height)

    def batch(start: int) -> bytes:
        stop = min(count, start + BATCH)
        return b"".join(render_frame(source, move, size, _time(i, count)).tobytes() for i in range(start, stop))

    for start in range(0, count, BATCH):
        yield await asyncio.to_thread(batch, start)


def _time(index: int, count: int) -> float:
    """Time fraction of frame ``index``: the first frame is t=0, the last exactly t=1."""
    return index / (count - 1) if count > 1 else 0.0
