"""generate_all: a failing image fails the batch with the engine's own error, not a wrapped group."""

from __future__ import annotations

from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.image.base import ImageRequest, ImageResult
from anime_studio.engines.image.batch import generate_all


class Failing:
    def __init__(self, error: EngineError) -> None:
        self.error = error

    async def generate(self, request: ImageRequest) -> ImageResult:
        raise self.error

    def parallel_prompts(self) -> int:
        return 2


@pytest.mark.parametrize("error", [EngineError("checkpoint not found"), TransientEngineError("backend down")])
async def test_the_first_failure_is_raised_as_it_is(error: EngineError, tmp_path: Path) -> None:
    requests = [ImageRequest("p", "n", seed, 64, 64, tmp_path / f"{seed}.png") for seed in range(3)]

    async def each(index: int, result: ImageResult) -> int:
        return index

    with pytest.raises(type(error)) as raised:
        await generate_all(Failing(error), requests, each)  # type: ignore[arg-type]
    assert raised.value is error
