"""Fit any audio file to the music contract: stereo 48 kHz 16-bit WAV, exact length, faded in and out."""

from __future__ import annotations

from pathlib import Path

from anime_studio.media.ffmpeg import run_ffmpeg

SAMPLE_RATE = 48_000


async def fit_audio(source: Path, target: Path, duration: float, fade_in: float, fade_out: float) -> None:
    """Loop (if short) or trim ``source`` to ``duration`` s, fade, and atomically write ``target``."""
    fade_in = max(0.0, min(fade_in, duration / 2))
    fade_out = max(0.0, min(fade_out, duration / 2))
    filters = [f"aresample={SAMPLE_RATE}", "aformat=sample_fmts=s16:channel_layouts=stereo"]
    if fade_in > 0:
        filters.append(f"afade=t=in:st=0:d={fade_in:.3f}")
    if fade_out > 0:
        filters.append(f"afade=t=out:st={duration - fade_out:.3f}:d={fade_out:.3f}")
    # apad + exact sample count: the output is the requested length to the sample, whatever the source.
    filters += ["apad", f"atrim=end_sample={round(duration * SAMPLE_RATE)}"]
    temp = target.with_name(f".{target.name}.part.wav")
    args: list[str | Path] = ["-stream_loop", "-1", "-i", source, "-vn", "-af", ",".join(filters)]
    args += ["-ac", "2", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav", temp]
    try:
        await run_ffmpeg(args)
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)
