"""The review flow shared by the remote vision engines: review, then a species check for non-humans."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from typing import Any

from anime_studio.engines.base import EngineStatus
from anime_studio.engines.vision import prompting
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores


class RemoteReviewer(ABC):
    """Asks a multimodal chat model for the spec's review, in a JSON schema, and normalises the answer."""

    name: str

    async def review(self, request: ReviewRequest) -> ReviewScores:
        """Score ``request.image_path``; non-human characters get a second, focused species question."""
        image = await asyncio.to_thread(prompting.encode_image, request)
        features = prompting.checklist(request)
        answer = await self._ask(
            prompting.review_prompt(request, features), image, prompting.review_schema(features), "image_review"
        )
        scores = prompting.parse_review(answer, request, features, engine=self.name)
        issue = prompting.resolution_issue(request, image)
        if issue:
            scores.issues.append(issue)
        if not request.is_human:
            await self._verify_species(request, image, scores)
        return scores

    async def _verify_species(
        self, request: ReviewRequest, image: prompting.EncodedImage, scores: ReviewScores
    ) -> None:
        answer = await self._ask(prompting.species_prompt(request), image, prompting.SPECIES_SCHEMA, "species_check")
        verified, reason = prompting.parse_species(answer)
        scores.species_verified = verified
        if verified is False:
            scores.issues.append(f"species check failed: not a {request.species}" + (f" ({reason})" if reason else ""))

    @abstractmethod
    async def _ask(self, prompt: str, image: prompting.EncodedImage, schema: dict[str, Any], schema_name: str) -> str:
        """Send the system prompt, ``prompt`` and the image; return the raw reply text."""

    @abstractmethod
    async def status(self) -> EngineStatus: ...
