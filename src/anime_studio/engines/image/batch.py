"""Several independent images of one run, spread over every backend that can take one, results in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from typing import TypeVar

from anime_studio.engines.image.base import ImageEngine, ImageRequest, ImageResult

T = TypeVar("T")


async def generate_all(
    engine: ImageEngine, requests: Sequence[ImageRequest], each: Callable[[int, ImageResult], Awaitable[T]]
) -> list[T]:
    """Generate every request, ``engine.parallel_prompts()`` at a time; ``each(index, result)`` as each lands.

    Asking for no more than the backends can hold (one running + one queued each) keeps every GPU busy
    without flooding the queues, and the order of asking is the order of the requests. ``each`` runs
    outside that limit, so the next prompt is already on its way while a result is reviewed and stored.
    Returns ``each``'s values in request order; the first failure cancels the images still going.
    """
    gate = asyncio.Semaphore(max(1, engine.parallel_prompts()))

    async def one(index: int, request: ImageRequest) -> T:
        async with gate:
            result = await engine.generate(request)
        return await each(index, result)

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(one(index, request)) for index, request in enumerate(requests)]
    except BaseExceptionGroup as failures:
        # Callers (the run executor) tell a permanent engine error from a transient one by its type.
        raise _first(failures) from None
    return [task.result() for task in tasks]


def _first(failures: BaseExceptionGroup[BaseException]) -> BaseException:
    error = failures.exceptions[0]
    return _first(error) if isinstance(error, BaseExceptionGroup) else error
