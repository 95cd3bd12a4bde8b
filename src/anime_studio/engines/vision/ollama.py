"""Vision review by a multimodal model served by Ollama (gemma3 by default)."""

from __future__ import annotations

from typing import Any

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus
from anime_studio.engines.remote.ollama import OllamaClient
from anime_studio.engines.vision.prompting import SYSTEM_PROMPT, EncodedImage
from anime_studio.engines.vision.remote import RemoteReviewer


class OllamaVision(RemoteReviewer):
    """``POST /api/chat`` with the image in ``images`` and the review schema in ``format``."""

    name = "ollama"

    def __init__(self, settings: Settings) -> None:
        self.model = settings.ollama_vision_model
        self.client = OllamaClient(settings.ollama_url, timeout=settings.ollama_timeout)

    async def _ask(self, prompt: str, image: EncodedImage, schema: dict[str, Any], schema_name: str) -> str:
        messages: list[dict[str, Any]] = [
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": prompt, "images": [image.data]},
        ]
        # Temperature 0: the same image must get the same verdict on every review.
        return await self.client.chat(self.model, messages, schema=schema, options={"temperature": 0})

    async def status(self) -> EngineStatus:
        """Server reachable, models pulled and loaded, and whether the vision model is among them."""
        return await self.client.status(kind="vision", name=self.name, model=self.model)
