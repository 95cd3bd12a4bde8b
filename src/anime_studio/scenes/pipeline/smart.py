"""Smart rendering of a scene: encode only the transition windows, stream-copy every other frame.

A shot clip in the studio's H.264 dialect has IDR frames where its transitions begin and end
(``timeline.keyframe_times``). The frames between them are copied as they are; each transition window,
widened to the nearest IDR frames of both clips when a clip has none exactly there, is decoded, blended
with the same ``xfade`` as the full render and encoded in the same dialect; the pieces are joined by
stream copy and muxed with the separately mixed sound. Cuts encode nothing.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from anime_studio.engines.base import Progress
from anime_studio.media.ffmpeg import house_h264, run_ffmpeg
from anime_studio.scenes.pipeline import packets
from anime_studio.scenes.pipeline.packets import ClipIndex, NotCopyable, Span
from anime_studio.scenes.pipeline.timeline import Join

# A dissolve is the film editor's cross-dissolve (xfade's "fade"); xfade's own "dissolve" is a per-pixel
# random dither, which looks like noise and which no encoder keeps faithfully.
XFADE = {"dissolve": "fade", "fade": "fadeblack", "wipe": "wipeleft"}


@dataclass(frozen=True)
class Window:
    """Join ``join``: frames ``tail`` to the end of clip A, blended into frames 0 to ``head`` of clip B."""

    join: Join
    a: ClipIndex
    b: ClipIndex
    tail: int
    head: int
    overlap: int

    @property
    def frames(self) -> int:
        return self.a.frames - self.tail + self.head - self.overlap


def plan(clips: list[ClipIndex], joins: list[Join], fps: int) -> list[Span | Window]:
    """The scene as copied spans and encoded windows, in order; ``NotCopyable`` if a clip lacks the IDRs."""
    overlaps = [0] + [round(j.duration * fps) for j in joins] + [0]
    bounds = []
    for k, clip in enumerate(clips):
        enter, leave = overlaps[k], overlaps[k + 1]
        start = next((f for f in clip.keyframes if f >= enter), clip.frames)
        stop = clip.frames if leave == 0 else max((f for f in clip.keyframes if f <= clip.frames - leave), default=0)
        if start >= stop:
            raise NotCopyable(f"{clip.path.name}: no IDR frame between its transitions")
        bounds.append((start, stop))
    pieces: list[Span | Window] = []
    for k, clip in enumerate(clips):
        if k > 0 and overlaps[k] > 0:
            pieces.append(Window(joins[k - 1], clips[k - 1], clip, bounds[k - 1][1], bounds[k][0], overlaps[k]))
        elif k > 0 and bounds[k][0] != 0:
            raise NotCopyable(f"{clip.path.name}: does not start on an IDR frame")
        pieces.append(Span(clip, *bounds[k]))
    return pieces


def _window_args(window: Window, fps: int, preset: str, crf: int, output: Path) -> list[str]:
    join, first = window.join, window.a.frames - window.tail
    offset = (first - window.overlap) / fps
    graph = (
        f"[0:v]setpts=PTS-STARTPTS,settb=AVTB[a];[1:v]trim=end_frame={window.head},setpts=PTS-STARTPTS,settb=AVTB[b];"
        f"[a][b]xfade=transition={XFADE[join.kind]}:duration={window.overlap / fps:.6f}:offset={offset:.6f},"
        "format=yuv420p[v]"
    )
    # Seeking to an IDR frame decodes from exactly there: half a frame early keeps that frame.
    seek = max(0.0, (window.tail - 0.5) / fps)
    return [
        *("-ss", f"{seek:.6f}", "-i", str(window.a.path), "-i", str(window.b.path)),
        *("-filter_complex", graph, "-map", "[v]", *house_h264(fps, preset=preset, crf=crf)),
        *("-frames:v", str(window.frames), "-an", str(output)),
    ]


async def _encode(windows: list[tuple[Window, Path]], fps: int, preset: str, crf: int, progress: Progress) -> None:
    """Encode the windows a few at a time (each is short: one ffmpeg per window keeps failures separate)."""
    gate, done = asyncio.Semaphore(max(1, os.cpu_count() or 1)), 0

    async def one(window: Window, path: Path) -> None:
        nonlocal done
        async with gate:
            await run_ffmpeg(_window_args(window, fps, preset, crf, path), threads=2)
        done += 1
        await progress(0.8 * done / len(windows), "encoding transitions")

    await asyncio.gather(*(one(w, p) for w, p in windows))


async def render_video(
    clips: list[Path], joins: list[Join], *, fps: int, preset: str, crf: int, output: Path, progress: Progress
) -> int:
    """Write the scene's picture to ``output`` (video only); returns its frame count. ``NotCopyable`` if it can't."""
    indexes = await asyncio.gather(*(asyncio.to_thread(packets.index, c, fps) for c in clips))
    if len({(i.width, i.height, i.extradata) for i in indexes}) != 1:
        raise NotCopyable("clips differ in size or encoder parameters")
    pieces = plan(list(indexes), joins, fps)
    with tempfile.TemporaryDirectory(prefix=".smart-", dir=output.parent) as tmp:
        folder = Path(tmp)
        windows = [(p, folder / f"window_{n:03d}.mp4") for n, p in enumerate(pieces) if isinstance(p, Window)]
        await _encode(windows, fps, preset, crf, progress)
        encoded = {id(w): path for w, path in windows}
        spans = []
        for piece in pieces:
            if isinstance(piece, Span):
                spans.append(piece)
                continue
            made = await asyncio.to_thread(packets.index, encoded[id(piece)], fps)
            if made.frames != piece.frames:
                raise NotCopyable(f"transition window came out {made.frames} frames, not {piece.frames}")
            spans.append(Span(made, 0, made.frames))
        spans = [s for s in spans if s.frames > 0]
        return await asyncio.to_thread(packets.join, spans, output, fps)
