"""An image engine that takes longer per image, so that batches overlap.

Loaded into a worker subprocess (``ANIME_STUDIO_EXTRA_TASK_MODULES``) with ``ANIME_STUDIO_TEST_IMAGE_DELAY``
set, it slows that process's image engine; imported anywhere else it changes nothing."""

from __future__ import annotations

import asyncio
import os
from typing import Any

from anime_studio.engines import registry
from anime_studio.engines.image.base import ImageEngine, ImageRequest, ImageResult


class SlowImages:
    def __init__(self, inner: ImageEngine, delay: float) -> None:
        self.inner, self.delay = inner, delay

    async def generate(self, request: ImageRequest) -> ImageResult:
        await asyncio.sleep(self.delay)
        return await self.inner.generate(request)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


_build = registry.image_engine


def _slow_image_engine(*args: Any, **kwargs: Any) -> ImageEngine:
    return SlowImages(_build(*args, **kwargs), float(os.environ["ANIME_STUDIO_TEST_IMAGE_DELAY"]))  # type: ignore[return-value]


if "ANIME_STUDIO_TEST_IMAGE_DELAY" in os.environ:
    registry.image_engine = _slow_image_engine
