"""Embeddings from an OpenAI-compatible ``POST /embeddings`` endpoint."""

from __future__ import annotations

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.embeddings.remote import RemoteEmbeddings
from anime_studio.engines.remote.openai import OpenAIClient


class OpenAIEmbeddings(RemoteEmbeddings):
    """``text-embedding-3-small`` by default; ``embedding_dimensions`` shortens vectors server-side."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings.openai_embed_model, settings.embedding_dimensions)
        self.client = OpenAIClient(settings.openai_base_url, settings.openai_api_key, timeout=settings.openai_timeout)

    async def _embed_batch(self, texts: list[str]) -> list[list[float]]:
        return await self.client.embed(self.model, texts, dimensions=self.requested)

    async def status(self) -> EngineStatus:
        """Server reachable and whether the embedding model is offered."""
        status = await self.client.status(kind="embeddings", name=self.name, model=self.model)
        status.extra["dimensions"] = self.dimensions
        return status
