"""Job-system fixtures: the test run kinds and an in-process worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import tests.jobs.handlers  # noqa: F401  (registers the test run kinds)
from anime_studio.jobs import service
from anime_studio.runtime import Runtime
from tests.engines.comfyui.conftest import comfy_factory  # noqa: F401  (fake ComfyUI servers for the GPU tests)

EnqueueFn = Callable[..., Any]


@pytest.fixture
def enqueue(runtime: Runtime) -> EnqueueFn:
    async def make(kind: str, **params: Any) -> int:
        async with runtime.db.transaction() as session:
            run = await service.enqueue(session=session, kind=kind, params=params)
            return run.id

    return make


from tests.runs import wait_for  # noqa: E402,F401  (re-exported for the job tests)
