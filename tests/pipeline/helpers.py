"""Helpers that put real media files on disk and register them as assets."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from PIL import Image

from anime_studio.assets import service as assets
from anime_studio.assets.models import AssetKind, AssetStatus
from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.runtime import Runtime


def png(path: Path, color: tuple[int, int, int] = (200, 80, 40), size: tuple[int, int] = (64, 48)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path)
    return path


def mp4(path: Path, seconds: float = 1.0, size: str = "64x48") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            ffmpeg_exe(),
            "-y",
            "-loglevel",
            "error",
            "-f",
            "lavfi",
            "-i",
            f"testsrc=size={size}:rate=24",
            "-t",
            str(seconds),
            "-c:v",
            "libx264",
            "-pix_fmt",
            "yuv420p",
            str(path),
        ],
        check=True,
    )
    return path


async def add_asset(
    runtime: Runtime,
    file: Path,
    *,
    project_id: int,
    kind: AssetKind,
    status: AssetStatus = AssetStatus.ready,
    **links: Any,
) -> int:
    async with runtime.db.transaction() as session:
        asset = await assets.record(
            session=session, paths=runtime.paths, file=file, project_id=project_id, kind=kind, status=status, **links
        )
        return asset.id
