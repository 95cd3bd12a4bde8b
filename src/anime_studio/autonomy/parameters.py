"""The one place a replenishment batch's generation parameters come from (learned suggestions join here)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from anime_studio.characters.prompts import ComposedPrompt, join_terms
from anime_studio.engines.image.base import CharacterHint, ImageRequest
from anime_studio.generation.requests import image_request
from anime_studio.learning.suggestions import SuggestedParameters as Suggestions
from anime_studio.styles.models import GenerationStyle


@dataclass(frozen=True)
class BatchPlan:
    prompt: ComposedPrompt
    style: GenerationStyle
    seed: int
    folder: Path
    stem: str
    character: CharacterHint
    references: tuple[Path, ...] = ()


def batch_parameters(
    *, plan: BatchPlan, count: int, use_learned: bool, suggestions: Suggestions | None = None
) -> list[ImageRequest]:
    """The batch's image requests: the character's SSOT prompt and project style, adjusted by ``suggestions``
    only when the character allows learned parameters."""
    prompt, style, seed = plan.prompt, plan.style, plan.seed
    learned = suggestions if use_learned and suggestions is not None else None
    if learned is not None:
        prompt = dataclasses.replace(
            prompt,
            positive=join_terms([prompt.positive, *learned.prompt_additions]),
            negative=join_terms([prompt.negative, *learned.negative_additions]),
        )
        seed = learned.seed if learned.seed is not None else seed
    requests = [
        image_request(
            prompt=prompt,
            style=style,
            seed=seed + index,
            output=plan.folder / f"{plan.stem}_{index:02d}_{seed + index}.png",
            characters=(plan.character,),
            references=plan.references,
        )
        for index in range(count)
    ]
    if learned is None:
        return requests
    return [
        dataclasses.replace(
            request,
            cfg=request.cfg if learned.cfg_scale is None else learned.cfg_scale,
            steps=request.steps if learned.steps is None else learned.steps,
            sampler=request.sampler if learned.sampler is None else learned.sampler,
        )
        for request in requests
    ]
