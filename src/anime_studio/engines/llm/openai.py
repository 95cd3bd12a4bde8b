"""Language engine on any OpenAI-compatible chat completions server."""

from __future__ import annotations

from typing import Any

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.llm.base import ChatMessage
from anime_studio.engines.llm.remote import RemoteLanguageModel
from anime_studio.engines.remote.openai import OpenAIClient


class OpenAILanguage(RemoteLanguageModel):
    """``POST /chat/completions``; structured answers use ``response_format: json_schema`` (strict)."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.openai_chat_model
        self.client = OpenAIClient(settings.openai_base_url, settings.openai_api_key, timeout=settings.openai_timeout)

    async def _complete(
        self, messages: list[ChatMessage], *, schema: dict[str, Any] | None = None, schema_name: str = "answer"
    ) -> str:
        payload = [m.model_dump() for m in messages]
        return await self.client.chat(self.model, payload, schema=schema, schema_name=schema_name, temperature=0.7)

    async def status(self) -> EngineStatus:
        """Server reachable, its model list, and whether the chat model is offered."""
        return await self.client.status(kind="llm", name=self.name, model=self.model)
