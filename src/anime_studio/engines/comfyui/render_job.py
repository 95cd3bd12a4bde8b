"""What the pool renders (``RenderJob``) and what comes back (``RenderOutput``), and who renders it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from anime_studio.engines.base import EngineError, Progress
from anime_studio.engines.comfyui.workflows.outputs import Kind


@dataclass(frozen=True)
class RenderJob:
    """A workflow plus the local files its LoadImage nodes reference (``remote name → path``)."""

    workflow: dict[str, Any]
    uploads: Mapping[str, Path] = field(default_factory=dict)
    checkpoint: str = ""
    """The checkpoint the workflow loads, for backend affinity."""
    label: str = ""


@dataclass(frozen=True)
class RenderedFile:
    node_id: str
    filename: str
    kind: Kind
    data: bytes


@dataclass(frozen=True)
class RenderOutput:
    backend: str
    prompt_id: str
    files: tuple[RenderedFile, ...]
    elapsed: float
    notes: tuple[str, ...] = ()
    """What the renderer changed to get a result ("out of memory on …; retried at 48x32 …")."""
    workflow: dict[str, Any] | None = None
    """The workflow that produced the files, when it is not the one asked for (a lighter retry)."""
    """What the renderer changed to get a result ("out of memory on …; retried at 48x32 …")."""

    def first(self, kind: Kind) -> RenderedFile:
        """The first output file of a kind; ``EngineError`` if the workflow produced none."""
        found = next((f for f in self.files if f.kind == kind), None)
        if found is None:
            kinds = ", ".join(sorted({f.kind for f in self.files})) or "nothing"
            raise EngineError(f"ComfyUI at {self.backend} produced no {kind} (got {kinds})")
        return found


class Renderer(Protocol):
    """Something that runs a ``RenderJob`` on a ComfyUI backend."""

    async def render(self, job: RenderJob, *, progress: Progress | None = None) -> RenderOutput: ...
