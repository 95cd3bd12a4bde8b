"""What a failed attempt of a render teaches the next one: retry only what a retry can fix, and say so.

- unreachable / timed out: the backend is parked, the prompt runs on another one;
- out of memory: again on a backend with more VRAM when there is one, else with a lighter workflow
  (latent size ×0.75, VAE tiles halved), noted in the result; when nothing lighter exists it is final;
- rejected workflow, missing model, interrupted, failing node: final at once (the same prompt fails
  the same way). Every failure is shown on its backend's status in its own words.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.comfyui.errors import CONNECTION_KINDS, LABELS, FailureKind, failure_kind
from anime_studio.engines.comfyui.pool import Backend, ComfyPool

if TYPE_CHECKING:
    from anime_studio.engines.comfyui.render_job import RenderJob, RenderOutput

SCALE = 0.75
LATENT_STEP = 8
MIN_SIDE = 16
MIN_TILE = 64


class RenderFailed(EngineError):
    """A render failed for good; ``kind`` is the class of its last failure."""

    def __init__(self, message: str, kind: FailureKind) -> None:
        super().__init__(message)
        self.kind = kind


class RenderFailedForNow(TransientEngineError):
    """Every attempt failed because backends were unreachable or timed out: a later run may succeed."""

    def __init__(self, message: str, kind: FailureKind) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass
class Lighter:
    workflow: dict[str, Any]
    note: str


def lighter_workflow(workflow: dict[str, Any]) -> Lighter | None:
    """The workflow at ¾ of its latent size and with half its VAE tile size; None if it has neither."""
    lighter = copy.deepcopy(workflow)
    changes: list[str] = []
    for node in lighter.values():
        inputs = node.get("inputs") if isinstance(node, dict) else None
        if not isinstance(inputs, dict):
            continue
        width, height = inputs.get("width"), inputs.get("height")
        if isinstance(width, int) and isinstance(height, int) and not isinstance(width, bool):
            new = (_smaller(width), _smaller(height))
            if new != (width, height):
                inputs["width"], inputs["height"] = new
                changes.append(f"{new[0]}x{new[1]} instead of {width}x{height}")
        tile = inputs.get("tile_size")
        if isinstance(tile, int) and not isinstance(tile, bool) and tile // 2 >= MIN_TILE:
            inputs["tile_size"] = tile // 2
            changes.append(f"VAE tiles of {tile // 2} instead of {tile}")
    return Lighter(lighter, ", ".join(dict.fromkeys(changes))) if changes else None


def _smaller(side: int) -> int:
    return max(MIN_SIDE, int(side * SCALE) // LATENT_STEP * LATENT_STEP)


def _roomier(candidate: Backend, failed: Backend) -> bool:
    """More VRAM than the backend that ran out (total first: ComfyUI frees its memory after an OOM)."""
    if candidate.vram_total is not None and failed.vram_total is not None and candidate.vram_total != failed.vram_total:
        return candidate.vram_total > failed.vram_total
    return (candidate.vram_free or 0) > (failed.vram_free or 0)


@dataclass
class Attempts:
    """The attempts of one render: the job to send next, where (not), and what happened so far."""

    pool: ComfyPool
    job: RenderJob
    max_attempts: int
    excluded: set[str] = field(default_factory=set)
    only: set[str] | None = None
    """Backends the next attempt must use (those with more VRAM after an out-of-memory)."""
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_kind: FailureKind | None = None

    def allowed(self, backends: list[Backend]) -> list[Backend]:
        return [b for b in backends if b.url not in self.excluded and (self.only is None or b.url in self.only)]

    async def failed(self, backend: Backend, error: EngineError) -> None:
        """Record the failure; returns if another attempt may fix it, else raises the final error."""
        kind = self.pool.record_failure(backend, error)
        self.failures.append(str(error))
        self.last_kind = kind
        if kind in CONNECTION_KINDS:
            self.only = None
            return
        if kind != "out_of_memory":
            raise self.final(error)
        await self.pool.refresh()  # current VRAM figures decide between "elsewhere" and "lighter"
        roomier = [b for b in self.pool.reachable() if b is not backend and _roomier(b, backend)]
        if roomier:
            self.excluded.add(backend.url)
            self.only = {b.url for b in roomier}
            self.notes.append(f"out of memory on {backend.url}; retried on a backend with more VRAM")
            return
        lighter = lighter_workflow(self.job.workflow)
        if lighter is None:
            raise self.final(error)
        self.only = None
        self.job = replace(self.job, workflow=lighter.workflow)
        self.notes.append(f"out of memory on {backend.url}; retried at {lighter.note}")

    def result(self, output: RenderOutput) -> RenderOutput:
        """The output, with what the retries changed (the lighter workflow, the notes)."""
        if not self.notes:
            return output
        return replace(output, notes=tuple(self.notes), workflow=self.job.workflow)

    def nowhere(self, error: TransientEngineError) -> EngineError:
        """No backend is left to try: the last real failure, not just "nothing reachable"."""
        return self.final(error) if self.failures else error

    def final(self, error: EngineError | None = None) -> EngineError:
        kind = self.last_kind or (failure_kind(error) if error else "failed")
        last = self.failures[-1] if self.failures else str(error)
        message = f"{LABELS[kind]}: {last}"
        if len(self.failures) > 1:
            message += f" (after {len(self.failures)} attempts: " + " | ".join(self.failures[:-1]) + ")"
        if self.notes:
            message += "; " + "; ".join(self.notes)
        if kind in CONNECTION_KINDS:
            return RenderFailedForNow(message, kind)
        return RenderFailed(message, kind)
