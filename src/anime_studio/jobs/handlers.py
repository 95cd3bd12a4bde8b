"""The catalogue of run kinds: each domain registers the async function that executes its kind."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from anime_studio.jobs.context import RunContext

HandlerFunc = Callable[["RunContext"], Awaitable[dict[str, Any] | None]]


@dataclass(frozen=True)
class RunKind:
    name: str
    func: HandlerFunc
    max_attempts: int = 3
    queue: str = "studio"
    description: str = ""


_KINDS: dict[str, RunKind] = {}


def run_kind(
    name: str, *, max_attempts: int = 3, queue: str = "studio", description: str = ""
) -> Callable[[HandlerFunc], HandlerFunc]:
    """Register ``func`` as the executor of runs of kind ``name``."""

    def register(func: HandlerFunc) -> HandlerFunc:
        _KINDS[name] = RunKind(name, func, max_attempts, queue, description or (func.__doc__ or "").strip())
        return func

    return register


def get_kind(name: str) -> RunKind | None:
    return _KINDS.get(name)


def kinds() -> dict[str, RunKind]:
    return dict(_KINDS)
