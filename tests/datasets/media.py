"""Test media for dataset ingestion: character sheets, a video with cuts, black and blurred parts, bad files."""

from __future__ import annotations

import io
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.media.ffmpeg import ffmpeg_exe
from tests.engines.samples import HANA, KAI, PIP, image_request

HANA_APPEARANCE = {"species": "human", "key_colors": dict(HANA.key_colors)}
PIP_APPEARANCE = {"species": PIP.species, "key_colors": dict(PIP.key_colors)}


def sheet(folder: Path, name: str) -> bytes:
    """A 768×768 full-body storyboard sheet of Hana, Kai or Pip (the heuristic reviewer scores these high)."""
    cast = {"hana": HANA, "kai": KAI, "pip": PIP}[name]
    request = image_request(
        folder / f"{name}.png", scene=None, characters=(cast,), prompt="full body, front view", width=768, height=768
    )
    data, _ = render_png(request, Typeface())
    return data


def jpeg_of(png: bytes) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    with Image.open(io.BytesIO(png)) as image:
        image.convert("RGB").resize((700, 700)).save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def huge_png_header(width: int = 20000, height: int = 20000) -> bytes:
    """A valid-looking PNG that declares width×height pixels but is a few dozen bytes long."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")


def cut_video(path: Path) -> Path:
    """5 s: still colour bars (2 s) | black (1 s) | blurred pattern (1 s) | test pattern (1 s), 24 fps."""
    graph = (
        "smptebars=size=320x240:rate=24:d=2[a];color=black:size=320x240:rate=24:d=1[b];"
        "testsrc2=size=320x240:rate=24:d=1,boxblur=12[c];testsrc=size=320x240:rate=24:d=1[d];"
        "[a][b][c][d]concat=n=4:v=1[v]"
    )
    subprocess.run(
        [ffmpeg_exe(), "-y", "-loglevel", "error", "-filter_complex", graph, "-map", "[v]",
         "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)],
        check=True,
    )  # fmt: skip
    return path
