"""Thumbnails (JPEG, ≤480 px) of images and videos, made on first request and cached beside the media."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
from PIL import Image

SIZE = (480, 480)


def _image_frame(source: Path) -> Image.Image:
    with Image.open(source) as image:
        image.load()
        return image.convert("RGB")


def _video_frame(source: Path) -> Image.Image:
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
            return picture.convert("RGB")
    raise ValueError(f"{source.name} has no video frames")


def first_frame(source: Path) -> Image.Image:
    """The first picture of an image or video file."""
    if source.suffix.lower() in (".mp4", ".mkv", ".webm", ".mov"):
        return _video_frame(source)
    return _image_frame(source)


def _make(source: Path, target: Path) -> Path:
    picture = first_frame(source)
    picture.thumbnail(SIZE)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    picture.save(temporary, "JPEG", quality=85)
    temporary.replace(target)
    return target


async def thumbnail(source: Path, target: Path) -> Path:
    """``target`` made from ``source`` unless an up-to-date one exists."""
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    return await asyncio.to_thread(_make, source, target)
