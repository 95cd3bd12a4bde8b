"""The catalogue of run-kind modules a worker imports (like ``app.ROUTERS`` for the API)."""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from typing import Any

TASK_MODULES: tuple[str, ...] = (
    "anime_studio.generation.tasks",
    "anime_studio.lora.tasks",
    "anime_studio.datasets.ingest",
    "anime_studio.datasets.triage",
    "anime_studio.scenes.tasks",
    "anime_studio.episodes.tasks",
    "anime_studio.autonomy.tasks",
    "anime_studio.correction.tasks",
)

# Modules whose ``install(runtime)`` registers event reactions and returns the function that removes them.
REACTION_MODULES: tuple[str, ...] = ("anime_studio.autonomy.reactions",)


def load_task_modules() -> None:
    """Import every module that registers run kinds (plus ``ANIME_STUDIO_EXTRA_TASK_MODULES``, comma-separated)."""
    extra = [m.strip() for m in os.environ.get("ANIME_STUDIO_EXTRA_TASK_MODULES", "").split(",") if m.strip()]
    for module in (*TASK_MODULES, *extra):
        importlib.import_module(module)


def install_reactions(runtime: Any) -> list[Callable[[], None]]:
    """Register every domain's event reactions on this process's bus; returns their uninstallers."""
    return [importlib.import_module(module).install(runtime) for module in REACTION_MODULES]
