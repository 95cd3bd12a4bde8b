"""What a dataset folder holds beside each image: a caption (.txt), provenance (.meta.json), approval state."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temp file + rename: readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_sidecars(image: Path, *, caption: str, provenance: dict[str, Any]) -> None:
    """The caption LoRA trainers read, and the full provenance, next to the image."""
    write_atomic(image.with_suffix(".txt"), caption.encode())
    write_atomic(image.with_suffix(".meta.json"), json.dumps(provenance, indent=2, default=str).encode())


def write_approval_status(dataset_dir: Path, statuses: dict[str, str]) -> None:
    """``approval_status.json`` (spec "Key Paths"): image file name → pending/approved/rejected."""
    write_atomic(dataset_dir / "approval_status.json", json.dumps(dict(sorted(statuses.items())), indent=2).encode())
