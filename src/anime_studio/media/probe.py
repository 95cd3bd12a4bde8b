"""Read duration, streams and frame rate of a media file with PyAV."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import av
from av.audio.stream import AudioStream
from av.video.stream import VideoStream


@dataclass
class MediaInfo:
    duration: float = 0.0
    width: int = 0
    height: int = 0
    fps: float = 0.0
    video_codec: str | None = None
    pix_fmt: str | None = None
    audio_codec: str | None = None
    sample_rate: int = 0
    channels: int = 0
    subtitle_codecs: list[str] = field(default_factory=list)

    @property
    def has_video(self) -> bool:
        return self.video_codec is not None

    @property
    def has_audio(self) -> bool:
        return self.audio_codec is not None


def fingerprint(path: Path) -> dict[str, int]:
    """What identifies this version of a file (a recorded probe is valid while it matches)."""
    stat = path.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def record(path: Path, info: MediaInfo) -> dict[str, Any]:
    """A probe result to store with the file's fingerprint (JSON-safe)."""
    return {**fingerprint(path), "info": asdict(info)}


def recorded(path: Path, saved: dict[str, Any] | None) -> MediaInfo | None:
    """The stored probe result if the file has not changed since, else None."""
    if not saved or not path.is_file() or {k: saved.get(k) for k in ("size", "mtime_ns")} != fingerprint(path):
        return None
    return MediaInfo(**saved["info"])


def probe(path: Path) -> MediaInfo:
    """Probe ``path``; raises ``ValueError`` if it is not a readable media file."""
    try:
        container = av.open(str(path))
    except (av.error.FFmpegError, OSError) as error:
        # The error's text ends with the absolute path; keep only its reason.
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise ValueError(f"not a readable media file: {path.name} ({reason})") from error
    info = MediaInfo()
    with container:
        info.duration = float(container.duration / av.time_base) if container.duration else 0.0
        for stream in container.streams:
            if isinstance(stream, VideoStream) and info.video_codec is None:
                rate = stream.average_rate or stream.guessed_rate
                info.video_codec = stream.codec_context.name
                info.width, info.height = stream.codec_context.width, stream.codec_context.height
                info.fps = float(rate) if rate else 0.0
                info.pix_fmt = stream.codec_context.pix_fmt
            elif isinstance(stream, AudioStream) and info.audio_codec is None:
                info.audio_codec = stream.codec_context.name
                info.sample_rate = stream.codec_context.sample_rate
                info.channels = stream.codec_context.layout.nb_channels
            elif stream.type == "subtitle":
                info.subtitle_codecs.append(stream.codec_context.name)
    return info


def decodable_audio(path: Path, *, name: str, max_packets: int = 200) -> MediaInfo:
    """Probe ``path`` and decode its first audio frames; ``ValueError`` naming only ``name`` otherwise.

    A container header is not proof: 100 MB of zero bytes called ``.mp3`` probes as MP3.
    """
    try:
        info = probe(path)
    except ValueError as error:
        raise ValueError(f"{name} is not a readable audio file") from error
    if not info.has_audio:
        raise ValueError(f"{name} has no audio stream")
    try:
        with av.open(str(path)) as container:
            stream = container.streams.audio[0]
            for count, packet in enumerate(container.demux(stream)):
                if any(frame.samples for frame in packet.decode()):
                    return info
                if count >= max_packets:
                    break
    except (av.error.FFmpegError, OSError, IndexError) as error:
        raise ValueError(f"{name} is not decodable audio") from error
    raise ValueError(f"{name} holds no decodable audio")
