"""Each epoch's sample renders and their review against the character's checklist (the consistency score).

The prompts and seeds are fixed for the whole training, so epochs differ only by their LoRA.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from anime_studio.characters.models import Character
from anime_studio.characters.prompts import ComposedPrompt
from anime_studio.engines.image.base import ImageEngine, LoraSpec
from anime_studio.engines.vision.base import ReviewScores, VisionEngine
from anime_studio.generation.requests import character_hint, image_request, review_request
from anime_studio.styles.models import GenerationStyle

SAMPLE_PROMPTS: tuple[tuple[str, int], ...] = (
    ("portrait, looking at viewer", 1001),
    ("full body, standing, simple background", 2002),
    ("three-quarter view, smiling, outdoors", 3003),
)


def consistency(scores: ReviewScores) -> float:
    """0..1: how well a sample matches the character; the checklist weighs in when the reviewer filled it."""
    match = scores.character_match / 10
    checklist = scores.feature_checklist
    if not checklist:
        return round(match, 4)
    ticked = sum(1 for ok in checklist.values() if ok) / len(checklist)
    return round(0.5 * match + 0.5 * ticked, 4)


async def render_and_review(
    *,
    image: ImageEngine,
    vision: VisionEngine,
    character: Character,
    style: GenerationStyle,
    prompts: list[ComposedPrompt],
    lora: Path,
    trigger: str,
    folder: Path,
    epoch: int,
) -> list[dict[str, Any]]:
    """Render the fixed samples with ``lora`` and review each; returns the samples' records (paths absolute)."""
    folder.mkdir(parents=True, exist_ok=True)
    records = []
    spec = LoraSpec(name=lora.name, strength_model=style.lora_strength, strength_clip=style.lora_strength)
    for index, ((_, seed), prompt) in enumerate(zip(SAMPLE_PROMPTS, prompts, strict=True)):
        request = image_request(
            prompt=replace(prompt, positive=f"{trigger}, {prompt.positive}"),
            style=style,
            seed=seed,
            output=folder / f"e{epoch:03d}_{index}.png",
            characters=(character_hint(character),),
            loras=(spec,),
        )
        result = await image.generate(request)
        scores = await vision.review(review_request(character, result.path, style, context="LoRA sample"))
        records.append(
            {
                "index": index,
                "seed": seed,
                "prompt": request.prompt,
                "path": str(result.path),
                "score": consistency(scores),
                "issues": list(scores.issues)[:5],
            }
        )
    return records
