"""Uploads are copied to disk in chunks with a size cap (never held whole in memory) and named safely."""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath, PureWindowsPath

from fastapi import UploadFile

from anime_studio.errors import PayloadTooLarge

CHUNK = 1024 * 1024


def upload_name(upload: UploadFile, *, default: str) -> str:
    """The client's file name without any folder part (never echoes a path back), at most 120 characters."""
    raw = (upload.filename or "").replace("\x00", "")
    name = PureWindowsPath(PurePosixPath(raw).name).name.strip()
    return name[:120] or default


@contextlib.contextmanager
def spooled(folder: Path) -> Iterator[Path]:
    """A temporary file in ``folder`` (so it can be renamed into place), removed unless renamed."""
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=folder, prefix=".upload-", suffix=".part")
    os.close(handle)
    path = Path(name)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


async def copy_capped(upload: UploadFile, target: Path, *, max_bytes: int, what: str) -> int:
    """Copy the upload into ``target`` chunk by chunk; ``PayloadTooLarge`` past ``max_bytes``."""
    written = 0
    with target.open("wb") as file:
        while chunk := await upload.read(CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise PayloadTooLarge(f"{what} uploads are limited to {max_bytes // (1024 * 1024)} MB")
            await asyncio.to_thread(file.write, chunk)
    return written
