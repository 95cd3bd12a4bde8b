"""Embeddings from an Ollama embedding model via ``POST /api/embed``."""

from __future__ import annotations

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.embeddings.remote import RemoteEmbeddings
from anime_studio.engines.remote.ollama import OllamaClient


class OllamaEmbeddings(RemoteEmbeddings):
    """``nomic-embed-text`` by default (768 dimensions)."""

    name = "ollama"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.ollama_embed_model, settings.embedding_dimensions)
        self.client = OllamaClient(settings.ollama_url, timeout=settings.ollama_timeout)

    async def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        return await self.client.embed(self.model, texts, dimensions=self.requested)

    async def status(self) -> EngineStatus:
        """Server reachable and whether the embedding model is pulled."""
        status = await self.client.status(kind="embeddings", name=self.name, model=self.model)
        status.extra["dimensions"] = self.dimensions
        return status
