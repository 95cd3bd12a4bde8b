"""Thumbnails (JPEG, ≤480 px) of images, videos and audio (a waveform), made on first request and cached."""

from __future__ import annotations

import asyncio
from pathlib import Path

import av
from PIL import Image

from anime_studio.media import images
from anime_studio.media.ffmpeg import FfmpegError, run_ffmpeg

SIZE = (480, 480)
WAVEFORM_SIZE = "480x160"
VIDEO_SUFFIXES = (".mp4", ".mkv", ".webm", ".mov")
AUDIO_SUFFIXES = (".wav", ".mp3", ".ogg", ".flac", ".m4a", ".aac", ".opus")


class NoThumbnail(ValueError):
    """The file has no picture to show (not an image, video or decodable audio)."""


def _image_frame(source: Path) -> Image.Image:
    return images.decoded(source)


def _video_frame(source: Path) -> Image.Image:
    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            picture: Image.Image = frame.to_image()  # type: ignore[no-untyped-call]
            return picture.convert("RGB")
    raise ValueError(f"{source.name} has no video frames")


def first_frame(source: Path) -> Image.Image:
    """The first picture of an image or video file."""
    if source.suffix.lower() in VIDEO_SUFFIXES:
        return _video_frame(source)
    return _image_frame(source)


def _make(source: Path, target: Path) -> Path:
    try:
        picture = first_frame(source)
    except (images.UnreadableImage, av.error.FFmpegError, IndexError) as error:
        raise NoThumbnail(f"{source.name} has no picture") from error
    picture.thumbnail(SIZE)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_suffix(".tmp")
    picture.save(temporary, "JPEG", quality=85)
    temporary.replace(target)
    return target


async def _waveform(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.stem}.partial.jpg")
    try:
        await run_ffmpeg(
            [
                "-i",
                source,
                "-filter_complex",
                f"showwavespic=s={WAVEFORM_SIZE}:colors=#88ccff",
                "-frames:v",
                "1",
                temporary,
            ]
        )
    except FfmpegError as error:
        temporary.unlink(missing_ok=True)
        raise NoThumbnail(f"{source.name} is not decodable audio") from error
    temporary.replace(target)
    return target


async def thumbnail(source: Path, target: Path) -> Path:
    """``target`` made from ``source`` unless an up-to-date one exists; ``NoThumbnail`` if there is no picture."""
    if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
        return target
    if source.suffix.lower() in AUDIO_SUFFIXES:
        return await _waveform(source, target)
    return await asyncio.to_thread(_make, source, target)
