"""Join scene files into an episode: stream copy when they match, normalise only the ones that do not."""

from __future__ import annotations

import asyncio
import tempfile
from dataclasses import dataclass
from pathlib import Path

from anime_studio.engines.base import Progress
from anime_studio.media import delivery
from anime_studio.media.ffmpeg import run_ffmpeg
from anime_studio.media.probe import MediaInfo, probe
from anime_studio.media.thumbnails import first_frame


@dataclass(frozen=True)
class Format:
    """What the concat demuxer needs identical across files to copy streams."""

    video_codec: str | None
    width: int
    height: int
    fps: float
    pix_fmt: str | None
    audio_codec: str | None
    sample_rate: int
    channels: int

    @classmethod
    def of(cls, info: MediaInfo) -> Format:
        return cls(
            info.video_codec,
            info.width,
            info.height,
            round(info.fps, 2),
            info.pix_fmt,
            info.audio_codec,
            info.sample_rate,
            info.channels,
        )


def target_format(formats: list[Format]) -> Format:
    """The first scene's format, with AAC stereo audio if the first scene has none."""
    first = formats[0]
    if first.audio_codec is None:
        return Format(first.video_codec, first.width, first.height, first.fps, first.pix_fmt, "aac", 48000, 2)
    return first


async def normalise(source: Path, info: MediaInfo, target: Format, output: Path) -> None:
    """Re-encode one scene to the target format (adding silence if it has no audio)."""
    args: list[str | Path] = ["-i", source]
    if not info.has_audio:
        args += ["-f", "lavfi", "-i", f"anullsrc=r={target.sample_rate}:cl=stereo"]
    video = (
        f"scale={target.width}:{target.height}:force_original_aspect_ratio=decrease,"
        f"pad={target.width}:{target.height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={target.fps},format=yuv420p"
    )
    args += ["-map", "0:v:0", "-map", "0:a:0" if info.has_audio else "1:a:0", "-vf", video]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-c:a", "aac", "-b:a", "160k"]
    args += ["-ar", str(target.sample_rate), "-ac", str(target.channels), "-t", f"{info.duration:.3f}", output]
    await run_ffmpeg(args)


@dataclass
class EpisodeBuild:
    sources: list[Path]
    output: Path
    subtitles: Path | None = None
    title: str = ""
    known: list[MediaInfo | None] | None = None
    """Probe results recorded when the scenes were assembled; files without one are probed now."""


async def build(job: EpisodeBuild, *, progress: Progress | None = None) -> dict[str, object]:
    """Probe, normalise what differs, concat (+ subtitle track) into ``output`` atomically."""
    known = job.known or [None] * len(job.sources)
    infos = await asyncio.gather(*(_info(s, k) for s, k in zip(job.sources, known, strict=True)))
    formats = [Format.of(i) for i in infos]
    target = target_format(formats)
    with tempfile.TemporaryDirectory(prefix="episode-", dir=job.output.parent) as work:
        folder = Path(work)
        parts, normalised = [], 0
        for index, (source, info, fmt) in enumerate(zip(job.sources, infos, formats, strict=True)):
            if fmt == target:
                parts.append(source)
                continue
            fixed = folder / f"part_{index:03d}.mp4"
            await normalise(source, info, target, fixed)
            parts.append(fixed)
            normalised += 1
        listing = folder / "scenes.txt"
        listing.write_text("".join(f"file '{_escape(p)}'\n" for p in parts), encoding="utf-8")
        temporary = job.output.with_name(f".{job.output.stem}.partial.mp4")
        args: list[str | Path] = ["-f", "concat", "-safe", "0", "-i", listing]
        if job.subtitles is not None:
            args += ["-i", job.subtitles, "-map", "0:v", "-map", "0:a", "-map", "1", "-c", "copy", "-c:s", "mov_text"]
            args += ["-metadata:s:s:0", "language=eng"]
        else:
            # Picture and sound only: a scene's own subtitle track is replaced by the episode's.
            args += ["-map", "0:v", "-map", "0:a", "-c", "copy"]
        # No +faststart: it rewrites the whole file a second time; Range serving finds the index at the end.
        args += ["-metadata", f"title={job.title}", temporary]
        total = sum(i.duration for i in infos)
        try:
            await run_ffmpeg(args, expected_duration=total, progress=progress)
            # Scenes arrive at delivery loudness already; the episode is measured and set again as a whole.
            await delivery.normalize(temporary, sample_rate=target.sample_rate)
            temporary.replace(job.output)
        finally:
            temporary.unlink(missing_ok=True)
    return {"normalised": normalised, "copied": len(parts) - normalised, "duration": total}


async def _info(source: Path, known: MediaInfo | None) -> MediaInfo:
    return known if known is not None else await asyncio.to_thread(probe, source)


def _escape(path: Path) -> str:
    return str(path.resolve()).replace("'", "'\\''")


def write_thumbnail(video: Path, target: Path) -> Path:
    """The episode thumbnail: its first frame as JPEG."""
    picture = first_frame(video)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}")
    picture.save(temporary, "JPEG", quality=90)
    temporary.replace(target)
    return target
