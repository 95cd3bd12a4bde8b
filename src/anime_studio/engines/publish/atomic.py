"""Write library files atomically: a hidden temp file in the same folder, then ``os.replace``."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path


def temp_name(target: Path) -> Path:
    """A hidden sibling of ``target`` (media servers skip dot-files while it is being written)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def write_bytes(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` so that readers see the old file or the whole new one, never a part."""
    temp = temp_name(target)
    try:
        with temp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)


def place_file(source: Path, target: Path) -> str:
    """Hard-link ``source`` to ``target`` (same filesystem), else copy; atomic either way. Returns the method."""
    temp = temp_name(target)
    try:
        method = "hardlink"
        try:
            os.link(source, temp)
        except OSError:
            # Another filesystem (EXDEV) or no link support: a real copy, flushed before it becomes visible.
            method = "copy"
            shutil.copyfile(source, temp)
            with temp.open("rb+") as handle:
                os.fsync(handle.fileno())
        temp.replace(target)
        return method
    finally:
        temp.unlink(missing_ok=True)
