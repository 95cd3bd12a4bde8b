"""The language engine contract, run against every implementation (remote ones through their fake servers).

To add an implementation, add an ``Impl`` to ``LLM`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.llm.base import ChatMessage, LlmEngine, ScenePlan, ShotType, StoryContext
from anime_studio.engines.llm.rules import RulesLlmEngine
from anime_studio.engines.registry import llm_engine
from tests.engines import contract
from tests.engines.samples import CHARACTERS, STORY

LLM: dict[str, contract.Impl[LlmEngine]] = {
    "rules": contract.Impl(lambda backends: RulesLlmEngine()),
    "ollama": contract.served("ollama", lambda backends: llm_engine(backends.ollama("llm"))),
    "openai": contract.served("openai", lambda backends: llm_engine(backends.openai("llm"))),
}
SHOT_TYPES = set(get_args(ShotType))
SLUGS = {c.slug for c in CHARACTERS}


@pytest.fixture(params=contract.impl_params(LLM))
def impl(request: pytest.FixtureRequest) -> contract.Impl[LlmEngine]:
    return request.param  # type: ignore[no-any-return]


def assert_valid_plan(scenes: list[ScenePlan]) -> None:
    """Scenes the studio can save: titled, with shots of the six presets, only known speakers and cast."""
    assert scenes and all(isinstance(scene, ScenePlan) for scene in scenes)
    assert any(scene.shots for scene in scenes)
    for scene in scenes:
        assert scene.title.strip()
        for shot in scene.shots:
            assert shot.shot_type in SHOT_TYPES
            assert set(shot.characters) <= SLUGS
            assert shot.dialogue_character is None or shot.dialogue_character in SLUGS
            assert 0 < shot.duration <= 60


async def test_breakdown_gives_valid_scene_plans(engine: LlmEngine) -> None:
    assert_valid_plan(await engine.breakdown(STORY))


@pytest.mark.parametrize("limit", [1, 2])
async def test_breakdown_respects_max_scenes(engine: LlmEngine, limit: int) -> None:
    scenes = await engine.breakdown(STORY, max_scenes=limit)
    assert 1 <= len(scenes) <= limit
    assert_valid_plan(scenes)


async def test_breakdown_works_from_a_summary_alone(engine: LlmEngine) -> None:
    assert_valid_plan(await engine.breakdown(STORY.model_copy(update={"script": ""})))


@pytest.mark.parametrize("impl", contract.impl_params(LLM, contract.deterministic))
async def test_same_story_same_breakdown(engine: LlmEngine) -> None:
    assert await engine.breakdown(STORY) == await engine.breakdown(STORY)


@pytest.mark.parametrize(
    ("context", "limit", "message"),
    [
        (StoryContext(project_name="Empty"), 12, "nothing to break down"),
        (StoryContext(project_name="Blank", summary="  \n", script=" "), 12, "nothing to break down"),
        (STORY, 0, "max_scenes"),
    ],
)
async def test_bad_breakdown_requests_are_refused(
    engine: LlmEngine, context: StoryContext, limit: int, message: str
) -> None:
    with pytest.raises(EngineError, match=message) as raised:
        await engine.breakdown(context, max_scenes=limit)
    assert not isinstance(raised.value, TransientEngineError)


@pytest.mark.parametrize("context", [STORY, None])
async def test_enhanced_prompt_keeps_every_term(engine: LlmEngine, context: StoryContext | None) -> None:
    prompt = "mira, standing on the pier, storm clouds, close-up, (masterpiece:1.2)"
    enhanced = await engine.enhance_prompt(prompt, context=context)
    for term in prompt.split(","):
        assert term.strip() in enhanced.lower()
    assert len(enhanced) > len(prompt)


@pytest.mark.parametrize("prompt", ["", "  , "])
async def test_enhancing_nothing_is_refused(engine: LlmEngine, prompt: str) -> None:
    with pytest.raises(EngineError, match="empty"):
        await engine.enhance_prompt(prompt)


@pytest.mark.parametrize("context", [STORY, None])
async def test_chat_always_says_something(engine: LlmEngine, context: StoryContext | None) -> None:
    answer = await engine.chat([ChatMessage(role="user", content="Who are the characters?")], context=context)
    assert isinstance(answer, str) and answer.strip()


async def test_status_shape(engine: LlmEngine) -> None:
    contract.assert_status(await engine.status(), "llm", engine.name)


@pytest.mark.parametrize("impl", contract.impl_params(LLM, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[LlmEngine], fake_servers: contract.FakeServers, tmp_path: Path
) -> None:
    await contract.assert_down_is_transient(
        impl,
        fake_servers,
        tmp_path,
        "llm",
        lambda engine: engine.breakdown(STORY),
        lambda engine: engine.enhance_prompt("a cat on a roof"),
        lambda engine: engine.chat([ChatMessage(role="user", content="hello")]),
    )


async def test_describe_appearance_gives_valid_appearance_data(engine: LlmEngine) -> None:
    from anime_studio.characters.schemas import AppearanceData

    draft = await engine.describe_appearance(
        name="Hana", design_prompt="1girl, short black bob hair, amber eyes, yellow raincoat, red scarf"
    )
    AppearanceData.model_validate(draft.model_dump())  # what the studio stores must accept it
    assert draft.species.strip() and len(draft.key_features) <= 12 and len(draft.common_errors) <= 12
    assert all(part.strip() and colour.strip() for part, colour in draft.key_colors.items())


async def test_describe_appearance_refuses_an_empty_design(engine: LlmEngine) -> None:
    with pytest.raises(EngineError):
        await engine.describe_appearance(name="Blank", design_prompt="  ")
