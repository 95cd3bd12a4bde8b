"""Vision review by any OpenAI-compatible multimodal chat model (OpenAI, vLLM, LM Studio, llama.cpp…)."""

from __future__ import annotations

from typing import Any

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.remote.openai import OpenAIClient
from anime_studio.engines.vision.prompting import SYSTEM_PROMPT, EncodedImage
from anime_studio.engines.vision.remote import RemoteReviewer


class OpenAIVision(RemoteReviewer):
    """``POST /chat/completions`` with an ``image_url`` data URL and a strict ``json_schema`` response format."""

    name = "openai"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.openai_vision_model
        self.client = OpenAIClient(settings.openai_base_url, settings.openai_api_key, timeout=settings.openai_timeout)

    async def _ask(self, prompt: str, image: EncodedImage, schema: dict[str, Any], schema_name: str) -> str:
        content = [
            {"type": "text", "text": prompt},
            {"type": "image_url", "image_url": {"url": image.data_url}},
        ]
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": content},
        ]
        return await self.client.chat(self.model, messages, schema=schema, schema_name=schema_name, temperature=0)

    async def status(self) -> EngineStatus:
        """Server reachable, its model list, and whether the vision model is offered."""
        return await self.client.status(kind="vision", name=self.name, model=self.model)
