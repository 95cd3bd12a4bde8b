"""Compressed-frame bookkeeping for smart rendering: where a clip's IDR frames are, and joining frame ranges.

Works on packets (PyAV demux/mux), never on pixels: copied frames leave the file exactly as they came in.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
from av.video.stream import VideoStream


class NotCopyable(Exception):
    """A clip (or a re-encoded window) cannot be joined by stream copy; the scene takes the full render."""


@dataclass(frozen=True)
class ClipIndex:
    """A clip's frames in display order: how many, which start a closed GOP, and its parameter sets."""

    path: Path
    frames: int
    keyframes: tuple[int, ...]
    extradata: bytes
    width: int
    height: int


@dataclass(frozen=True)
class Span:
    """Frames ``start`` (an IDR) up to ``stop`` (an IDR or the end) of a file, to copy as they are."""

    clip: ClipIndex
    start: int
    stop: int

    @property
    def frames(self) -> int:
        return self.stop - self.start


def _video(container: av.container.InputContainer) -> VideoStream:
    if not container.streams.video:
        raise NotCopyable("no video stream")
    return container.streams.video[0]


def index(path: Path, fps: int) -> ClipIndex:
    """Scan the packets of ``path``; ``NotCopyable`` unless it is constant-rate H.264 4:2:0 at ``fps``."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as error:
        raise NotCopyable(f"{path.name}: unreadable ({error})") from error
    with container:
        stream = _video(container)
        codec = stream.codec_context
        if codec.name != "h264" or codec.pix_fmt != "yuv420p" or not codec.extradata:
            raise NotCopyable(f"{path.name}: {codec.name}/{codec.pix_fmt}, not the studio's H.264")
        assert stream.time_base is not None
        per_frame = 1 / (stream.time_base * fps)
        stamps: list[tuple[int, bool]] = []
        for packet in container.demux(stream):
            if packet.size and packet.pts is not None:
                stamps.append((packet.pts, packet.is_keyframe))
        if not stamps:
            raise NotCopyable(f"{path.name}: no frames")
        first = min(pts for pts, _ in stamps)
        numbers = {pts: Fraction(pts - first) / per_frame for pts, _ in stamps}
        if any(n.denominator != 1 for n in numbers.values()) or len(numbers) != len(stamps):
            raise NotCopyable(f"{path.name}: frames are not on a {fps} fps grid")
        keys = tuple(sorted(int(numbers[pts]) for pts, key in stamps if key))
        frames = len(stamps)
        if sorted(int(n) for n in numbers.values()) != list(range(frames)) or not keys or keys[0] != 0:
            raise NotCopyable(f"{path.name}: missing frames or no leading keyframe")
        return ClipIndex(path, frames, keys, bytes(codec.extradata), codec.width, codec.height)


def join(spans: list[Span], output: Path, fps: int) -> int:
    """Write the spans one after another into a video-only MP4 by stream copy; returns the frame count.

    Every span starts on an IDR frame and ends before one, so no frame refers across a seam; timestamps are
    shifted so that the frames follow on without a gap.
    """
    reference = spans[0].clip.extradata
    if any(s.clip.extradata != reference for s in spans):
        raise NotCopyable("clips were encoded with different parameter sets")
    written, last_dts = 0, None
    tick = Fraction(1, fps * 512)  # the timescale x264's MP4s use: one frame is 512 ticks
    with av.open(str(output), "w", format="mp4") as out:
        target: VideoStream | None = None
        for span in spans:
            with av.open(str(span.clip.path)) as source:
                stream = _video(source)
                if target is None:
                    target = out.add_stream_from_template(stream)
                    target.time_base = tick
                assert stream.time_base is not None
                first: int | None = None
                for packet in source.demux(stream):
                    if not packet.size or packet.pts is None or packet.dts is None:
                        continue
                    if first is None:
                        first = packet.pts  # the first packet in decode order is the IDR shown first
                    position = (packet.pts - first) * stream.time_base * fps  # display frame number
                    if not span.start <= position < span.stop:
                        continue
                    shift = (written - span.start) * 512 - first * stream.time_base / tick
                    pts = round(packet.pts * stream.time_base / tick + shift)
                    dts = round(packet.dts * stream.time_base / tick + shift)
                    dts = min(pts, dts if last_dts is None or dts > last_dts else last_dts + 1)
                    packet.pts, packet.dts, last_dts = pts, dts, dts
                    packet.time_base = tick
                    packet.stream = target
                    out.mux(packet)
            written += span.frames
    return written
