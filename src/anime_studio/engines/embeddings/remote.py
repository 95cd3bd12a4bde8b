"""What the remote embedders share: batching, and a dimension check so a vector column never mixes sizes."""

from __future__ import annotations

from abc import ABC, abstractmethod

from anime_studio.engines.base import EngineError, EngineStatus

BATCH = 64
KNOWN_DIMENSIONS = {
    "nomic-embed-text": 768,
    "mxbai-embed-large": 1024,
    "all-minilm": 384,
    "bge-m3": 1024,
    "snowflake-arctic-embed": 1024,
    "text-embedding-3-small": 1536,
    "text-embedding-3-large": 3072,
    "text-embedding-ada-002": 1536,
}


class RemoteEmbeddings(ABC):
    """Embeds in batches and checks that every vector has the same, expected length."""

    name: str

    def __init__(self, model: str, requested: int | None) -> None:
        self.model = model
        self.requested = requested
        self._dimensions = requested or KNOWN_DIMENSIONS.get(model.split(":")[0], 0)
        self._observed = False

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Vectors for ``texts``, ``BATCH`` texts per request; a blank text gets the zero vector.

        Blank texts are never sent: OpenAI refuses them (HTTP 400, failing the whole batch), and a text without
        words has no meaning to embed; the zero vector is also what the hashing engine gives them.
        """
        wanted = [index for index, text in enumerate(texts) if text.strip()]
        vectors: list[list[float]] = []
        for start in range(0, len(wanted), BATCH):
            vectors += await self._embed_batch([texts[index] for index in wanted[start : start + BATCH]])
        for vector in vectors:
            self._check(len(vector))
        if len(wanted) == len(texts):
            return vectors
        if not self._dimensions:
            raise EngineError(
                f"{self.name} model {self.model}: vector size unknown, set embedding_dimensions to embed blank texts"
            )
        result = [[0.0] * self._dimensions for _ in texts]
        for index, vector in zip(wanted, vectors, strict=True):
            result[index] = vector
        return result

    def _check(self, size: int) -> None:
        if not self._observed and not self.requested:
            self._dimensions, self._observed = size, True
        if size != self._dimensions:
            raise EngineError(
                f"{self.name} model {self.model} returned {size}-dimensional vectors, expected {self._dimensions}"
            )

    @abstractmethod
    async def _embed_batch(self, texts: list[str]) -> list[list[float]]: ...

    @abstractmethod
    async def status(self) -> EngineStatus: ...
