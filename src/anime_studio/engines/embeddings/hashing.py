"""The embedded embedder: feature hashing of word and character n-grams into 384 L2-normalised dimensions."""

from __future__ import annotations

import asyncio
import hashlib
import re
from itertools import pairwise

import numpy as np

from anime_studio.engines.base import EngineStatus

DIMENSIONS = 384
_WORD = re.compile(r"\w+", re.UNICODE)
# Weights: whole words carry the meaning, bigrams the phrasing, trigrams tolerate typos and inflection.
_WORD_WEIGHT, _BIGRAM_WEIGHT, _TRIGRAM_WEIGHT = 1.0, 0.7, 0.35
_THREAD_ABOVE = 64


class HashingEmbeddings:
    """Deterministic across processes and machines (BLAKE2b, not Python's salted ``hash``); no model needed."""

    name = "hashing"

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        self._dimensions = dimensions

    @property
    def dimensions(self) -> int:
        return self._dimensions

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Vectors for ``texts``; large batches run in a thread so the event loop stays free."""
        if len(texts) > _THREAD_ABOVE:
            return await asyncio.to_thread(self.embed_sync, texts)
        return self.embed_sync(texts)

    def embed_sync(self, texts: list[str]) -> list[list[float]]:
        """The same, synchronously."""
        matrix = np.zeros((len(texts), self._dimensions), dtype=np.float64)
        for row, text in enumerate(texts):
            for feature, weight in features(text):
                index, sign = self._slot(feature)
                matrix[row, index] += sign * weight
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix = np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)
        return [[float(x) for x in row] for row in matrix]

    def _slot(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        value = int.from_bytes(digest, "little")
        # The sign bit halves collisions' bias: colliding features cancel as often as they add.
        return value % self._dimensions, 1.0 if (value >> 63) & 1 else -1.0

    async def status(self) -> EngineStatus:
        """Always available."""
        return EngineStatus(
            kind="embeddings",
            name=self.name,
            reachable=True,
            detail=f"feature hashing, {self._dimensions} dimensions",
            extra={"dimensions": self._dimensions},
        )


def features(text: str) -> list[tuple[str, float]]:
    """Weighted features of ``text``: words, word bigrams and character trigrams of each word."""
    words = [w.lower() for w in _WORD.findall(text)]
    result = [(f"w:{w}", _WORD_WEIGHT) for w in words]
    result += [(f"b:{a} {b}", _BIGRAM_WEIGHT) for a, b in pairwise(words)]
    for word in words:
        padded = f"<{word}>"
        result += [(f"c:{padded[i : i + 3]}", _TRIGRAM_WEIGHT) for i in range(len(padded) - 2)]
    return result
