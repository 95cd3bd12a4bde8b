"""Find the files a finished prompt wrote, from its history entry.

SaveImage → ``images``; core SaveVideo → ``images`` plus ``animated: [true]``; VideoHelperSuite's
VHS_VideoCombine → ``gifs``; audio savers → ``audio``. The kind is decided by the file extension.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Literal

Kind = Literal["image", "video", "audio"]
VIDEO_EXTENSIONS = frozenset({".mp4", ".webm", ".mkv", ".mov", ".avi", ".gif"})
AUDIO_EXTENSIONS = frozenset({".flac", ".mp3", ".opus", ".ogg", ".wav", ".m4a"})
_KEYS = ("images", "gifs", "audio", "video", "videos")


@dataclass(frozen=True)
class OutputRef:
    """One file a node saved, as ``/view`` needs it."""

    node_id: str
    filename: str
    subfolder: str
    type: str
    kind: Kind


def kind_of(filename: str, *, animated: bool = False) -> Kind:
    suffix = PurePosixPath(filename).suffix.lower()
    if suffix in AUDIO_EXTENSIONS:
        return "audio"
    if suffix in VIDEO_EXTENSIONS or (animated and suffix not in (".png", ".jpg", ".jpeg")):
        return "video"
    return "image"


def output_refs(entry: dict[str, Any], *, include_temp: bool = False) -> list[OutputRef]:
    """Every saved file in node order; previews (``type: temp``) only when asked."""
    outputs = entry.get("outputs") or {}
    refs: list[OutputRef] = []
    for node_id, ui in outputs.items():
        if isinstance(ui, dict):
            refs += _node_refs(str(node_id), ui)
    return [ref for ref in refs if include_temp or ref.type != "temp"]


def _node_refs(node_id: str, ui: dict[str, Any]) -> list[OutputRef]:
    animated = any(bool(flag) for flag in ui.get("animated") or [])
    refs = []
    for key in _KEYS:
        for item in ui.get(key) or []:
            if isinstance(item, dict) and isinstance(item.get("filename"), str):
                name = item["filename"]
                refs.append(
                    OutputRef(
                        node_id,
                        name,
                        str(item.get("subfolder") or ""),
                        str(item.get("type") or "output"),
                        kind_of(name, animated=animated),
                    )
                )
    return refs
