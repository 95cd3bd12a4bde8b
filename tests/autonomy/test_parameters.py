"""batch_parameters: the style's values, changed by suggestions only where the character allows it."""

from __future__ import annotations

from pathlib import Path

from anime_studio.autonomy.parameters import BatchPlan, Suggestions, batch_parameters
from anime_studio.characters.prompts import ComposedPrompt
from anime_studio.engines.image.base import CharacterHint
from anime_studio.styles.models import GenerationStyle

PROMPT = ComposedPrompt(
    positive="masterpiece, 1girl, yellow raincoat",
    negative="lowres, bad hands",
    is_human=True,
    quality_tags="masterpiece",
    design_prompt="1girl, yellow raincoat",
    base_negative="lowres",
    world_negative="",
)
STYLE = GenerationStyle(width=512, height=768, steps=25, cfg_scale=7.0, sampler="euler_ancestral", checkpoint_model="")
PLAN = BatchPlan(
    prompt=PROMPT, style=STYLE, seed=100, folder=Path("/tmp/batch"), stem="hana_r00001", character=CharacterHint("Hana")
)
LEARNED = Suggestions(
    cfg_scale=5.5,
    steps=32,
    sampler="dpmpp_2m",
    seed=7,
    prompt_additions=["full body"],
    negative_additions=["extra arms"],
)


def test_without_permission_suggestions_are_ignored() -> None:
    requests = batch_parameters(plan=PLAN, count=3, use_learned=False, suggestions=LEARNED)
    assert [r.seed for r in requests] == [100, 101, 102]
    assert {(r.cfg, r.steps, r.sampler) for r in requests} == {(7.0, 25, "euler_ancestral")}
    assert requests[0].prompt == PROMPT.positive and requests[0].negative == PROMPT.negative
    assert requests[2].output_path == Path("/tmp/batch/hana_r00001_02_102.png")


def test_allowed_suggestions_change_every_request() -> None:
    requests = batch_parameters(plan=PLAN, count=2, use_learned=True, suggestions=LEARNED)
    assert [r.seed for r in requests] == [7, 8]
    assert {(r.cfg, r.steps, r.sampler) for r in requests} == {(5.5, 32, "dpmpp_2m")}
    assert requests[0].prompt.endswith(", full body") and requests[0].negative.endswith(", extra arms")


def test_partial_suggestions_keep_the_style_for_the_rest() -> None:
    (request,) = batch_parameters(plan=PLAN, count=1, use_learned=True, suggestions=Suggestions(steps=40))
    assert (request.cfg, request.steps, request.sampler, request.seed) == (7.0, 40, "euler_ancestral", 100)
    assert request.prompt == PROMPT.positive
