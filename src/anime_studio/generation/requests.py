"""Turn domain rows (character, style, world) into engine requests — the SSOT applied at the edge."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from anime_studio.characters.models import Character
from anime_studio.characters.prompts import ComposedPrompt, is_non_human
from anime_studio.engines.image.base import CharacterHint, ImageRequest, LoraSpec, SceneHint
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.styles.models import GenerationStyle


def character_hint(character: Character) -> CharacterHint:
    appearance = character.appearance_data or {}
    species = str(appearance.get("species", "human"))
    return CharacterHint(
        name=character.name,
        key_colors={str(k): str(v) for k, v in dict(appearance.get("key_colors", {})).items()},
        species=species,
        is_human=not is_non_human(species),
    )


def image_request(
    *,
    prompt: ComposedPrompt,
    style: GenerationStyle,
    seed: int,
    output: Path,
    characters: tuple[CharacterHint, ...] = (),
    scene: SceneHint | None = None,
    references: tuple[Path, ...] = (),
    init_image: Path | None = None,
    denoise: float = 1.0,
    loras: tuple[LoraSpec, ...] = (),
) -> ImageRequest:
    return ImageRequest(
        prompt=prompt.positive,
        negative=prompt.negative,
        seed=seed,
        width=style.width,
        height=style.height,
        output_path=output,
        checkpoint=style.checkpoint_model,
        steps=style.steps,
        cfg=style.cfg_scale,
        sampler=style.sampler,
        scheduler=style.scheduler,
        characters=characters,
        scene=scene,
        reference_images=references,
        init_image=init_image,
        denoise=denoise,
        loras=loras,
    )


def review_request(character: Character, image: Path, style: GenerationStyle, context: str = "") -> ReviewRequest:
    appearance: dict[str, Any] = character.appearance_data or {}
    species = str(appearance.get("species", "human"))
    return ReviewRequest(
        image_path=image,
        character_name=character.name,
        design_prompt=character.design_prompt,
        species=species,
        is_human=not is_non_human(species),
        key_colors={str(k): str(v) for k, v in dict(appearance.get("key_colors", {})).items()},
        key_features=tuple(str(f) for f in appearance.get("key_features", [])),
        common_errors=tuple(str(e) for e in appearance.get("common_errors", [])),
        expected_width=style.width,
        expected_height=style.height,
        context=context,
    )
