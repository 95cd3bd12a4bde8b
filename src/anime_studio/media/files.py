"""Creating files under names nobody else holds, atomically, whatever other requests or processes do."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

MAX_NAME_TRIES = 10_000


def create_unique(folder: Path, stem: str, suffix: str, data: bytes) -> Path:
    """Store ``data`` as ``stem{suffix}``, or ``stem-2{suffix}``, ``stem-3{suffix}`` … if that name is taken.

    Checking that a name is free and then writing it is a race: two uploads of ``same.png`` both
    see it free and one silently replaces the other. Instead the complete file is written under a
    private temporary name and hard-linked to the candidate name; ``link`` fails if the name exists,
    so the claim and the write are one step and readers never see half a file.
    """
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        for n in range(1, MAX_NAME_TRIES + 1):
            target = folder / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                _claim(Path(temporary), target, data)
            except FileExistsError:
                continue
            return target
        raise FileExistsError(f"no free name for {stem}{suffix} in {folder.name} after {MAX_NAME_TRIES} tries")
    finally:
        Path(temporary).unlink(missing_ok=True)


def _claim(temporary: Path, target: Path, data: bytes) -> None:
    """Give ``target`` the content of ``temporary``; ``FileExistsError`` if the name is taken."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise
    except OSError:
        # Filesystems without hard links (some network shares): exclusive create, then write.
        with target.open("xb") as file:
            file.write(data)
