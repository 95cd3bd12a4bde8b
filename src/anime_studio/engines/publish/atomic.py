"""Write library files atomically: a hidden temp file in the same folder, then ``os.replace``."""

from __future__ import annotations

import fcntl
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_TEMP = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def temp_name(target: Path) -> Path:
    """A hidden sibling of ``target`` (media servers skip dot-files while it is being written)."""
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")


def is_temp(path: Path) -> bool:
    """Whether ``path`` is named like a :func:`temp_name` (a write in progress, or the litter of a killed one)."""
    return _TEMP.match(path.name) is not None


@contextmanager
def exclusive(folder: Path) -> Iterator[None]:
    """Hold the publish lock of ``folder`` (``flock`` on the folder itself: no lock file, freed when we die).

    While it is held no other publisher, in this process or another, has a write in progress there, so
    every temp file found is the litter of a killed one.
    """
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def sweep(folder: Path) -> list[Path]:
    """Delete the temp files left in ``folder`` by a killed writer; call only under :func:`exclusive`."""
    if not folder.is_dir():
        return []
    litter = [path for path in folder.iterdir() if is_temp(path) and path.is_file()]
    for path in litter:
        path.unlink(missing_ok=True)
    return litter


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
