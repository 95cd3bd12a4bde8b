"""The embeddings contract, run against every implementation (remote ones through their fake servers).

To add an implementation, add an ``Impl`` to ``EMBEDDINGS`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.engines.embeddings.hashing import HashingEmbeddings
from anime_studio.engines.embeddings.wordllama import WordLlamaEmbeddings
from anime_studio.engines.registry import embedding_engine
from tests.engines import contract

EMBEDDINGS: dict[str, contract.Impl[EmbeddingEngine]] = {
    "wordllama": contract.Impl(lambda backends: WordLlamaEmbeddings()),
    "hashing": contract.Impl(lambda backends: HashingEmbeddings()),
    "ollama": contract.served("ollama", lambda backends: embedding_engine(backends.ollama("embedding"))),
    "openai": contract.served("openai", lambda backends: embedding_engine(backends.openai("embedding"))),
}
TEXTS = [f"shot {i}: the courier crosses canal {i % 7} at dusk" for i in range(70)]
"""More than one request's worth (remote engines send 64 texts per request)."""


@pytest.fixture(params=contract.impl_params(EMBEDDINGS))
def impl(request: pytest.FixtureRequest) -> contract.Impl[EmbeddingEngine]:
    return request.param  # type: ignore[no-any-return]


def norm(vector: list[float]) -> float:
    return math.sqrt(math.fsum(x * x for x in vector))


async def test_vectors_have_the_advertised_size_and_unit_length(engine: EmbeddingEngine) -> None:
    assert engine.dimensions > 0  # known before the first call: the vector column is sized from it
    vectors = await engine.embed(["a silver fox spirit with a red scarf", "rain on a neon street"])
    assert len(vectors) == 2
    for vector in vectors:
        assert len(vector) == engine.dimensions
        assert all(isinstance(x, float) and math.isfinite(x) for x in vector)
        assert norm(vector) == pytest.approx(1.0, abs=1e-6)
    assert vectors[0] != vectors[1]


async def test_batches_keep_the_input_order(engine: EmbeddingEngine) -> None:
    vectors = await engine.embed(TEXTS)
    assert len(vectors) == len(TEXTS)
    for index in (0, 1, 33, 63, 64, 69):
        (alone,) = await engine.embed([TEXTS[index]])
        assert vectors[index] == pytest.approx(alone, abs=1e-9)


@pytest.mark.parametrize("impl", contract.impl_params(EMBEDDINGS, contract.deterministic))
async def test_same_text_same_vector_in_any_instance(
    impl: contract.Impl[EmbeddingEngine], backends: contract.Backends
) -> None:
    first = await impl.build(backends).embed(TEXTS[:3])
    assert first == await impl.build(backends).embed(TEXTS[:3])


async def test_empty_input_gives_no_vectors(engine: EmbeddingEngine) -> None:
    assert await engine.embed([]) == []


async def test_blank_texts_get_zero_vectors_in_place(engine: EmbeddingEngine) -> None:
    vectors = await engine.embed(["", "a lantern in the rain", "  \n"])
    assert [len(v) for v in vectors] == [engine.dimensions] * 3
    assert norm(vectors[0]) == 0 and norm(vectors[2]) == 0
    (alone,) = await engine.embed(["a lantern in the rain"])
    assert vectors[1] == pytest.approx(alone, abs=1e-9)


async def test_status_shape(engine: EmbeddingEngine) -> None:
    status = await engine.status()
    contract.assert_status(status, "embeddings", engine.name)
    assert status.extra["dimensions"] == engine.dimensions


@pytest.mark.parametrize("impl", contract.impl_params(EMBEDDINGS, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[EmbeddingEngine], fake_servers: contract.FakeServers, tmp_path: Path
) -> None:
    await contract.assert_down_is_transient(
        impl, fake_servers, tmp_path, "embeddings", lambda engine: engine.embed(["a lantern in the rain"])
    )
