"""Decode single frames of a video with PyAV (continuity chains, thumbnails, tests)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np
from av.video.frame import VideoFrame
from PIL import Image

# (Kr, Kb) luma weights of the colour matrices a stream may be tagged with (AVColorSpace numbers).
_MATRICES = {1: (0.2126, 0.0722), 5: (0.299, 0.114), 6: (0.299, 0.114), 9: (0.2627, 0.0593), 10: (0.2627, 0.0593)}
_FULL_RANGE = 2  # AVCOL_RANGE_JPEG


def to_rgb(frame: VideoFrame) -> Image.Image:
    """A decoded frame as RGB, converted exactly (float maths, bilinear chroma) for 4:2:0 video.

    swscale's fast path, which ``frame.to_image()`` uses, truncates: frames come back about one level
    darker, and a continuity chain that feeds last frames back in would darken shot after shot.
    Untagged streams are read as BT.601, as ffmpeg does; other pixel formats go through swscale.
    """
    if frame.format.name not in {"yuv420p", "yuvj420p"}:
        image: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
        return image
    kr, kb = _MATRICES.get(int(frame.colorspace), (0.299, 0.114))
    full = frame.format.name == "yuvj420p" or int(frame.color_range) == _FULL_RANGE
    planes = frame.to_ndarray()
    w, h = frame.width, frame.height
    y = planes[:h].astype(np.float32)
    cw, ch = (w + 1) // 2, (h + 1) // 2
    chroma = planes[h:].reshape(2, ch, cw).astype(np.float32)
    u, v = (np.asarray(Image.fromarray(p, "F").resize((w, h), Image.Resampling.BILINEAR)) for p in chroma)
    if full:
        yn, cb, cr = y / 255, (u - 128) / 255, (v - 128) / 255
    else:
        yn, cb, cr = (y - 16) / 219, (u - 128) / 224, (v - 128) / 224
    r = yn + 2 * (1 - kr) * cr
    b = yn + 2 * (1 - kb) * cb
    g = (yn - kr * r - kb * b) / (1 - kr - kb)
    rgb = np.clip(np.rint(np.stack([r, g, b], axis=-1) * 255), 0, 255).astype(np.uint8)
    return Image.fromarray(rgb, "RGB")


def last_frame(path: Path) -> Image.Image:
    """The final frame of the first video stream as an RGB image (colours per the stream's colour tags).

    Seeks to the last keyframe before the end and decodes from there, so long clips stay cheap.
    """
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as error:
        raise ValueError(f"not a readable video: {path.name} ({error})") from error
    with container:
        if not container.streams.video:
            raise ValueError(f"no video stream in {path.name}")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        if stream.duration:
            container.seek(int(stream.start_time or 0) + int(stream.duration), stream=stream, backward=True)
        last = None
        for frame in container.decode(stream):
            last = frame
        if last is None:
            raise ValueError(f"no decodable frame in {path.name}")
        return to_rgb(last)


def frame_at(path: Path, index: int) -> Image.Image:
    """Frame number ``index`` (0-based) of the first video stream, decoded from the start."""
    with av.open(str(path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if i == index:
                return to_rgb(frame)
    raise ValueError(f"{path.name} has no frame {index}")


def count_frames(path: Path) -> int:
    """Number of decodable frames of the first video stream."""
    with av.open(str(path)) as container:
        return sum(1 for _ in container.decode(video=0))
