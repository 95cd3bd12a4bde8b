"""Keyframes: the first picture of a shot that has neither its own source image nor a chained frame."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path

from anime_studio.characters import prompts
from anime_studio.engines.image.base import ImageRequest, SceneHint
from anime_studio.generation.requests import character_hint, image_request
from anime_studio.scenes.models import Shot
from anime_studio.scenes.pipeline.context import SceneWork


def shot_prompt(work: SceneWork, shot: Shot) -> prompts.ComposedPrompt:
    """The SSOT prompt for a shot: cast design prompts + what happens + where, with the cast's negatives."""
    cast = work.characters_of(shot)
    scene = work.scene
    setting = [scene.location, scene.time_of_day, scene.weather, f"{scene.mood} mood" if scene.mood else ""]
    action = [shot.shot_type.replace("_", " ") + " shot", shot.camera_angle.replace("_", " "), shot.motion_prompt]
    world = work.world
    species = "human"
    if cast and all(prompts.is_non_human(str(c.appearance_data.get("species", ""))) for c in cast):
        species = "(NOT human)"  # human-anatomy negatives only when nobody in frame is human
    errors = [str(e) for c in cast for e in c.appearance_data.get("common_errors", [])]
    return prompts.compose(
        design_prompt=", ".join(c.design_prompt for c in cast if c.design_prompt),
        species=species,
        common_errors=errors,
        quality_template=work.style.positive_prompt_template,
        base_negative=work.style.negative_prompt_template,
        world_negative=world.negative_prompt_guidance if world else "",
        extra=", ".join(t for t in [*action, *setting, world.style_preamble if world else ""] if t),
    )


def scene_hint(work: SceneWork, shot: Shot) -> SceneHint:
    scene, world = work.scene, work.world
    palette = {k: [str(c) for c in v] for k, v in (world.color_palette if world else {}).items() if isinstance(v, list)}
    speaker = work.cast.get(shot.dialogue_character_id or 0)
    caption = f"{scene.title} · shot {shot.position} · {shot.shot_type}"
    if shot.dialogue_text and speaker:
        caption += f" · {speaker.name}: “{shot.dialogue_text[:60]}”"
    return SceneHint(
        location=scene.location,
        time_of_day=scene.time_of_day,
        weather=scene.weather,
        mood=scene.mood,
        shot_type=shot.shot_type,
        camera_angle=shot.camera_angle,
        palette=palette,
        caption=caption,
    )


def keyframe_request(work: SceneWork, shot: Shot) -> ImageRequest:
    """The shot's keyframe request at the project's style with its cast's promoted LoRAs.

    The file is named after what it is made of, so a changed prompt, style, seed or LoRA makes a new keyframe
    while a resumed run reuses the one it already rendered.
    """
    loras = work.loras_of(shot)
    request = image_request(
        prompt=loras.prompt(shot_prompt(work, shot)),
        style=work.style,
        seed=work.shot_seed(shot),
        output=work.folder / f"shot_{shot.id}_keyframe.png",
        characters=tuple(character_hint(c) for c in work.characters_of(shot)),
        scene=scene_hint(work, shot),
        loras=loras.specs,
    )
    digest = hashlib.sha256(repr(dataclasses.replace(request, output_path=Path())).encode()).hexdigest()[:12]
    return dataclasses.replace(request, output_path=work.folder / f"shot_{shot.id}_keyframe_{digest}.png")


async def render_keyframe(work: SceneWork, request: ImageRequest) -> Path:
    """Render the keyframe with the image engine (once: an existing file is what this request made)."""
    if request.output_path.is_file():
        return request.output_path
    result = await work.ctx.runtime.engines.image.generate(request)
    return result.path
