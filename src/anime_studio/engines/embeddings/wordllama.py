"""The embedded embedder: WordLlama ``l2_supercat`` token embeddings (256 dimensions), mean-pooled.

The weights (a 32,000 × 256 float16 matrix, 16 MB) and the tokenizer ship inside the ``wordllama`` wheel.
We read those two files ourselves rather than through ``WordLlama.load()``: that loader looks for the tokenizer
in a folder the wheel does not have and then downloads it from Hugging Face, and importing the library
configures the root logger. Nothing here touches the network.
"""

from __future__ import annotations

import asyncio
import importlib.util
import threading
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from anime_studio.engines.base import EngineError, EngineStatus

DIMENSIONS = 256
MODEL = "l2_supercat_256"
_WEIGHTS = f"weights/{MODEL}.safetensors"
_TOKENIZER = "tokenizers/l2_supercat_tokenizer_config.json"
_THREAD_ABOVE = 16
_BATCH = 64


def package_dir() -> Path | None:
    """Where the ``wordllama`` package is installed, found without importing it."""
    spec = importlib.util.find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


class _Model:
    def __init__(self, root: Path) -> None:
        from safetensors import safe_open
        from tokenizers import Tokenizer

        with safe_open(str(root / _WEIGHTS), framework="np") as weights:
            self.matrix = np.ascontiguousarray(weights.get_tensor("embedding.weight"), dtype=np.float32)
        self.tokenizer = Tokenizer.from_file(str(root / _TOKENIZER))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.lock = threading.Lock()  # a Tokenizer is not safe to share between threads mid-call

    def embed(self, texts: list[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        result = np.zeros((len(texts), self.matrix.shape[1]), dtype=np.float32)
        with self.lock:
            encodings = self.tokenizer.encode_batch(texts, add_special_tokens=False)
        for row, encoding in enumerate(encodings):
            ids = np.clip(np.asarray(encoding.ids, dtype=np.int64), 0, self.matrix.shape[0] - 1)
            if ids.size and texts[row].strip():
                result[row] = self.matrix[ids].mean(axis=0)
        norms = np.linalg.norm(result, axis=1, keepdims=True)
        # Blank texts keep the zero vector, as the other engines give them.
        unit: np.ndarray[Any, np.dtype[np.float32]] = np.divide(
            result, norms, out=np.zeros_like(result), where=norms > 0
        )
        return unit


@cache
def _model() -> _Model:
    root = package_dir()
    if root is None or not (root / _WEIGHTS).is_file() or not (root / _TOKENIZER).is_file():
        raise EngineError("the wordllama package (with its bundled l2_supercat weights) is not installed")
    return _Model(root)


class WordLlamaEmbeddings:
    """A real static text-embedding model on the CPU: ~0.2 ms per fact on 2 cores, deterministic everywhere."""

    name = "wordllama"

    @property
    def dimensions(self) -> int:
        return DIMENSIONS

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit vectors for ``texts`` (blank texts: the zero vector); the first call loads the model (~0.3 s)."""
        if not texts:
            return []
        if len(texts) > _THREAD_ABOVE:
            return await asyncio.to_thread(self.embed_sync, texts)
        return self.embed_sync(texts)

    def embed_sync(self, texts: list[str]) -> list[list[float]]:
        """The same, synchronously."""
        model = _model()
        rows: list[list[float]] = []
        for start in range(0, len(texts), _BATCH):
            rows += model.embed(texts[start : start + _BATCH]).astype(np.float64).tolist()
        return rows

    async def status(self) -> EngineStatus:
        """Available when the wheel and its bundled weights are installed."""
        try:
            _model()
        except EngineError as error:
            return EngineStatus(kind="embeddings", name=self.name, reachable=False, detail=str(error))
        return EngineStatus(
            kind="embeddings",
            name=self.name,
            reachable=True,
            detail=f"WordLlama {MODEL} (bundled in the wordllama wheel), {DIMENSIONS} dimensions",
            models=[MODEL],
            extra={"dimensions": DIMENSIONS},
        )
