"""Language engine on an Ollama chat model (gemma3 by default)."""

from __future__ import annotations

from typing import Any

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.llm.base import ChatMessage
from anime_studio.engines.llm.remote import RemoteLanguageModel
from anime_studio.engines.remote.ollama import OllamaClient


class OllamaLanguage(RemoteLanguageModel):
    """``POST /api/chat``; structured answers use the JSON schema ``format``."""

    name = "ollama"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.ollama_chat_model
        self.client = OllamaClient(settings.ollama_url, timeout=settings.ollama_timeout)

    async def _complete(
        self, messages: list[ChatMessage], *, schema: dict[str, Any] | None = None, schema_name: str = "answer"
    ) -> str:
        # The original planner used temperature 0.7 and up to 4096 tokens; a breakdown needs room.
        options = {"temperature": 0.7, "num_predict": 8192}
        payload = [m.model_dump() for m in messages]
        return await self.client.chat(self.model, payload, schema=schema, options=options)

    async def status(self) -> EngineStatus:
        """Server reachable, models pulled and loaded, and whether the chat model is among them."""
        return await self.client.status(kind="llm", name=self.name, model=self.model)
