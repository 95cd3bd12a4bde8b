"""The embedding protocol."""

from __future__ import annotations

from typing import Protocol

from anime_studio.engines.base import EngineStatus


class EmbeddingEngine(Protocol):
    name: str

    @property
    def dimensions(self) -> int:
        """Length of every vector this engine returns (0 while a remote model has not answered yet)."""
        ...

    async def embed(self, texts: list[str]) -> list[list[float]]:
        """One vector per text, in order; an empty list gives an empty list."""
        ...

    async def status(self) -> EngineStatus: ...
