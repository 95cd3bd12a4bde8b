"""The image→video engine protocol."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from anime_studio.engines.base import EngineStatus, Progress


@dataclass(frozen=True)
class VideoRequest:
    source_image: Path
    motion_prompt: str
    output_path: Path
    duration: float
    fps: int
    width: int
    height: int
    seed: int = 0
    negative: str = ""
    shot_type: str = "medium"
    camera_angle: str = "eye_level"
    steps: int = 25
    checkpoint: str = ""
    keyframes: tuple[float, ...] = ()
    """Seconds into the clip that must start a closed GOP (where a transition begins or ends)."""


@dataclass(frozen=True)
class VideoResult:
    path: Path
    last_frame_path: Path
    duration: float
    fps: int
    frames: int
    engine: str
    parameters: dict[str, Any]


class VideoEngine(Protocol):
    name: str
    chains_from_source: bool
    """True when a clip only moves a camera over its first frame: a chained next shot then starts from that
    picture again, not from the zoomed last frame, so camera moves never compound across shots."""

    async def animate(self, request: VideoRequest, *, progress: Progress | None = None) -> VideoResult:
        """Turn ``source_image`` into an H.264/yuv420p MP4 at ``output_path``; also save its last frame as PNG."""
        ...

    async def status(self) -> EngineStatus: ...
