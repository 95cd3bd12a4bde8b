"""What ``GET /queue`` says: the running and pending prompts (shared by the client and the waiting loop)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class QueueItem:
    """One entry of ``/queue``: ``[number, prompt_id, prompt, extra_data, outputs_to_execute]``."""

    number: float
    prompt_id: str
    prompt: dict[str, Any]
    client_id: str | None

    @classmethod
    def parse(cls, raw: Any) -> QueueItem | None:
        if not isinstance(raw, list) or len(raw) < 3:
            return None
        extra = raw[3] if len(raw) > 3 and isinstance(raw[3], dict) else {}
        prompt = raw[2] if isinstance(raw[2], dict) else {}
        return cls(float(raw[0]), str(raw[1]), prompt, extra.get("client_id"))


@dataclass(frozen=True)
class QueueState:
    """What a backend is doing: the running prompt(s) and the pending ones in queue order."""

    running: tuple[QueueItem, ...] = ()
    pending: tuple[QueueItem, ...] = ()

    def is_running(self, prompt_id: str) -> bool:
        return any(item.prompt_id == prompt_id for item in self.running)

    def pending_position(self, prompt_id: str) -> int | None:
        """0-based position among pending prompts (ComfyUI runs the lowest number first)."""
        ordered = sorted(self.pending, key=lambda item: item.number)
        return next((i for i, item in enumerate(ordered) if item.prompt_id == prompt_id), None)

    def find(self, prompt_id: str) -> QueueItem | None:
        return next((i for i in (*self.running, *self.pending) if i.prompt_id == prompt_id), None)
