"""Embedding engine specifics: hashing similarity, Ollama batching and size checks, OpenAI ``dimensions``.

Sizes, unit length, order, blank texts and status are the embeddings contract (``test_contract_embeddings.py``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError
from anime_studio.engines.embeddings.hashing import HashingEmbeddings
from anime_studio.engines.embeddings.ollama import OllamaEmbeddings
from anime_studio.engines.embeddings.openai import OpenAIEmbeddings
from anime_studio.engines.embeddings.wordllama import WordLlamaEmbeddings
from anime_studio.engines.registry import embedding_engine
from tests.fakes.common import unit_vector
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI


def cosine(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


async def test_hashing_puts_similar_texts_close() -> None:
    engine = HashingEmbeddings()
    texts = ["silver fox spirit with a red scarf", "a silver fox spirit wearing a red scarf", "rainy neon city"]
    vectors = await engine.embed(texts)
    assert engine.dimensions == 384
    assert cosine(vectors[0], vectors[1]) > 0.6 > 0.2 > cosine(vectors[0], vectors[2])
    typo = (await engine.embed(["silver foxes spirits"]))[0]
    assert cosine(vectors[0], typo) > cosine(vectors[2], typo)
    big = await engine.embed([f"shot {i}" for i in range(200)])  # runs in a thread
    assert big == engine.embed_sync([f"shot {i}" for i in range(200)])


async def test_ollama_embed_batches_and_checks_dimensions(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    engine = OllamaEmbeddings(settings_for(ollama_url=url))
    assert engine.dimensions == 768
    texts = [f"text {i}" for i in range(70)]
    vectors = await engine.embed(texts)
    assert len(vectors) == 70 and vectors[5] == pytest.approx(unit_vector("text 5", 768))
    batches = [body for path, body in fake.requests if path == "/api/embed"]
    assert [len(b["input"]) for b in batches] == [64, 6] and batches[0]["model"] == "nomic-embed-text"
    fake.embed_dimensions = 512
    with pytest.raises(EngineError, match="512-dimensional vectors, expected 768"):
        await engine.embed(["changed model"])


async def test_ollama_embed_missing_model(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    _, url = ollama
    with pytest.raises(EngineError, match="ollama pull mxbai-embed-large"):
        await OllamaEmbeddings(settings_for(ollama_url=url, ollama_embed_model="mxbai-embed-large")).embed(["x"])


async def test_openai_embeddings_sorted_by_index_with_dimensions(
    openai: tuple[FakeOpenAI, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = openai
    settings = settings_for(
        openai_base_url=url, openai_api_key="sk-test", embedding_engine="openai", embedding_dimensions=256
    )
    engine = embedding_engine(settings)
    assert isinstance(engine, OpenAIEmbeddings) and engine.dimensions == 256
    vectors = await engine.embed(["first", "second", "third"])
    assert vectors[0] == pytest.approx(unit_vector("first", 256))
    assert vectors[2] == pytest.approx(unit_vector("third", 256))
    assert fake.requests[-1][1]["dimensions"] == 256


def test_registry_defaults_to_the_bundled_model(settings_for: Callable[..., Settings]) -> None:
    assert isinstance(embedding_engine(settings_for()), WordLlamaEmbeddings)
    assert isinstance(embedding_engine(settings_for(embedding_engine="hashing")), HashingEmbeddings)


async def test_wordllama_ranks_by_meaning_not_spelling() -> None:
    """A paraphrase with no shared content word beats an unrelated text (hashing cannot do this)."""
    engine = WordLlamaEmbeddings()
    documents = [
        "Aiko is a red-haired swordswoman who guards the shrine",
        "The neon city is drenched in rain at night",
        "Episode 3: the tournament final between rivals",
    ]
    queries = ["who has a katana and crimson hair?", "which episode has the championship?"]
    vectors = await engine.embed(documents)
    asked = await engine.embed(queries)
    best = [max(range(3), key=lambda i, q=q: cosine(q, vectors[i])) for q in asked]
    assert best == [0, 2]
    assert (await engine.status()).extra["dimensions"] == 256
    assert await engine.embed(["", "   "]) == [[0.0] * 256, [0.0] * 256]
