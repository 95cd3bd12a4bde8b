"""Turn what a backend saved into what the studio stores: H.264/yuv420p MP4s, exact last frames, WAVs."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

from anime_studio.engines.base import EngineError
from anime_studio.media.ffmpeg import house_h264, run_ffmpeg
from anime_studio.media.frames import last_frame
from anime_studio.media.probe import MediaInfo, probe


@dataclass(frozen=True)
class VideoTarget:
    width: int
    height: int
    fps: int
    duration: float
    keyframes: tuple[float, ...] = ()
    """IDR frames a re-encode forces (where the shot's transitions begin and end)."""

    @property
    def frames(self) -> int:
        """The exact frame count every engine delivers: ``round(duration * fps)``."""
        return max(1, round(self.duration * self.fps))


def count_frames(path: Path) -> int:
    """Frames in the first video stream (container count, else by demuxing)."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        return int(stream.frames) or sum(1 for packet in container.demux(stream) if packet.size)


async def probe_async(path: Path) -> MediaInfo:
    try:
        return await asyncio.to_thread(probe, path)
    except ValueError as error:
        raise EngineError(f"ComfyUI returned an unreadable file: {error}") from error


def needs_reencode(info: MediaInfo, target: VideoTarget, frames: int) -> bool:
    """Anything but H.264 yuv420p at the requested size, rate and exact frame count is re-encoded."""
    return (
        info.video_codec != "h264"
        or info.pix_fmt != "yuv420p"
        or (info.width, info.height) != (target.width, target.height)
        or abs(info.fps - target.fps) > 0.01
        or frames != target.frames
        or info.has_audio
    )


async def normalise_video(source: Path, target_path: Path, target: VideoTarget) -> bool:
    """Write ``source`` to ``target_path`` as the studio's MP4; returns True if it had to re-encode."""
    info = await probe_async(source)
    if not info.has_video:
        raise EngineError("ComfyUI returned a file without a video stream")
    partial = target_path.with_name(f".{target_path.stem}.partial.mp4")
    reencode = needs_reencode(info, target, await asyncio.to_thread(count_frames, source))
    if reencode:
        w, h = target.width, target.height
        # Models generate in fixed steps (FramePack sections, Wan 4k+1 frames): resample to the rate, repeat
        # the last frame if the take is short, then cut at exactly the frame count the shot's timing needs.
        scale = (
            f"scale={w}:{h}:force_original_aspect_ratio=increase:flags=lanczos,crop={w}:{h},setsar=1,fps={target.fps},"
            "tpad=stop_mode=clone:stop=-1"
        )
        args: list[str | Path] = [
            "-i",
            source,
            "-vf",
            scale,
            "-frames:v",
            str(target.frames),
            "-an",
            # The studio's dialect, so that scene assembly can stream-copy the clip between its transitions.
            *house_h264(target.fps, keyframes=target.keyframes),
        ]
        await run_ffmpeg([*args, "-movflags", "+faststart", partial])
    else:
        await asyncio.to_thread(_copy, source, partial)
    partial.replace(target_path)
    return reencode


async def extract_last_frame(video: Path, png: Path) -> None:
    """The exact last frame, decoded as the studio decodes every frame (``media.frames``: exact colour maths).

    ffmpeg's own PNG conversion truncates: a continuity chain fed with it would darken shot after shot.
    """
    try:
        image = await asyncio.to_thread(last_frame, video)
    except ValueError as error:
        raise EngineError(f"could not extract the last frame of {video.name}: {error}") from error
    partial = png.with_name(f".{png.stem}.partial.png")
    await asyncio.to_thread(image.save, partial, "PNG")
    partial.replace(png)


async def to_wav(source: Path, target_path: Path, *, duration: float, fade_in: float, fade_out: float) -> None:
    """Stereo 44.1 kHz 16-bit WAV of exactly ``duration`` seconds (padded or cut), faded in and out."""
    fade_in, fade_out = max(0.0, min(fade_in, duration / 2)), max(0.0, min(fade_out, duration / 2))
    filters = [f"apad=whole_dur={duration:.3f}", f"atrim=0:{duration:.3f}"]
    if fade_in:
        filters.append(f"afade=t=in:st=0:d={fade_in:.3f}")
    if fade_out:
        filters.append(f"afade=t=out:st={duration - fade_out:.3f}:d={fade_out:.3f}")
    partial = target_path.with_name(f".{target_path.stem}.partial.wav")
    await run_ffmpeg(["-i", source, "-af", ",".join(filters), "-ac", "2", "-ar", "44100", "-c:a", "pcm_s16le", partial])
    partial.replace(target_path)


def _copy(source: Path, target: Path) -> None:
    target.write_bytes(source.read_bytes())
