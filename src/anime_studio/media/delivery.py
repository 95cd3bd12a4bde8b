"""Delivery loudness: a finished scene or episode brought to −16 LUFS integrated with a −1 dBTP ceiling.

EBU R128 two-pass ``loudnorm``: the first pass measures the whole programme, the second applies one
gain (``linear=true``) where the ceiling allows it, else ffmpeg's true-peak-aware dynamic mode. Only the
audio is re-encoded; the video and subtitle streams are copied as they are.
"""

from __future__ import annotations

import asyncio
import json
import re
from dataclasses import dataclass
from pathlib import Path

from anime_studio.media.ffmpeg import FfmpegError, ffmpeg_exe, run_ffmpeg
from anime_studio.media.probe import probe

TARGET_LUFS = -16.0
CEILING_DBTP = -1.0
# The limiter aims under the ceiling: AAC encoding overshoots inter-sample peaks by a few tenths of a dB.
_LIMITER_DBTP = -2.0
TARGET_LRA = 11.0
_SILENT_LUFS = -70.0  # the R128 absolute gate: nothing to normalise below it
_JSON = re.compile(rb"\{[^{}]*\"input_i\"[^{}]*\}", re.S)


@dataclass(frozen=True)
class Loudness:
    integrated: float
    true_peak: float
    lra: float
    threshold: float
    offset: float


async def measure(path: Path) -> Loudness:
    """Integrated loudness (LUFS), true peak (dBTP) and loudness range of the file's first audio stream."""
    command = [ffmpeg_exe(), "-hide_banner", "-nostdin", "-nostats", "-i", str(path), "-map", "0:a:0", "-vn"]
    command += ["-af", f"loudnorm=I={TARGET_LUFS}:TP={_LIMITER_DBTP}:LRA={TARGET_LRA}:print_format=json"]
    command += ["-f", "null", "-"]
    process = await asyncio.create_subprocess_exec(
        *command, stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE
    )
    _, stderr = await process.communicate()
    found = _JSON.findall(stderr)
    if process.returncode != 0 or not found:
        raise FfmpegError(f"could not measure the loudness of {path.name}")
    data = json.loads(found[-1])
    return Loudness(
        integrated=_number(data["input_i"]),
        true_peak=_number(data["input_tp"]),
        lra=_number(data["input_lra"]),
        threshold=_number(data["input_thresh"]),
        offset=_number(data["target_offset"]),
    )


async def normalize(path: Path, *, sample_rate: int = 48000, bitrate: str = "160k") -> Loudness | None:
    """Rewrite ``path`` (atomically) at the delivery loudness; returns the first pass, ``None`` when silent."""
    if not (await asyncio.to_thread(probe, path)).has_audio:
        return None
    first = await measure(path)
    if first.integrated <= _SILENT_LUFS:
        return None
    gain = (
        f"loudnorm=I={TARGET_LUFS}:TP={_LIMITER_DBTP}:LRA={TARGET_LRA}:measured_I={first.integrated}:"
        f"measured_TP={first.true_peak}:measured_LRA={first.lra}:measured_thresh={first.threshold}:"
        f"offset={first.offset}:linear=true"
    )
    temporary = path.with_name(f".{path.stem}.loudnorm{path.suffix}")
    args: list[str | Path] = ["-i", path, "-map", "0", "-c", "copy", "-af", gain, "-c:a", "aac", "-b:a", bitrate]
    args += ["-ar", str(sample_rate), temporary]
    try:
        await run_ffmpeg(args)
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    return first


def _number(value: object) -> float:
    """loudnorm writes numbers as strings, and ``-inf`` for silence."""
    try:
        return float(str(value))
    except ValueError:
        return float("-inf")
