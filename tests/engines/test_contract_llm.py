"""The language-engine contract: every LlmEngine implementation must pass these tests.

To add an implementation, append a factory to ``LLM_ENGINES``: a function returning a context
manager that yields a ready engine (start its fake server inside it when it has one).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import CharacterBrief, ChatMessage, LlmEngine, StoryContext
from anime_studio.engines.llm.rules import RulesLlmEngine
from anime_studio.engines.video.presets import MOTION_PRESETS

EngineFactory = Callable[[], AbstractContextManager[LlmEngine]]


@contextmanager
def rules() -> Iterator[LlmEngine]:
    yield RulesLlmEngine()


LLM_ENGINES: list[EngineFactory] = [rules]

SCRIPT = (Path(__file__).parent / "data" / "last_lantern.fountain").read_text()
CHARACTERS = [
    CharacterBrief(
        name="Mira Sato", slug="mira", role="protagonist", design_prompt="1girl, red scarf, yellow raincoat"
    ),
    CharacterBrief(name="Kenji Arai", slug="kenji", role="lighthouse keeper", design_prompt="1boy, navy sweater"),
]
CONTEXT = StoryContext(
    project_name="Lantern",
    title="The Last Lantern",
    summary="Mira races a storm to help Kenji keep the lighthouse burning.",
    script=SCRIPT,
    tone="hopeful",
    art_style="soft watercolor anime",
    characters=CHARACTERS,
)


@pytest.fixture(params=LLM_ENGINES, ids=lambda factory: factory.__name__)
def engine(request: pytest.FixtureRequest) -> Iterator[LlmEngine]:
    with request.param() as built:
        yield built


async def test_breakdown_gives_scenes_with_usable_shots(engine: LlmEngine) -> None:
    scenes = await engine.breakdown(CONTEXT)
    assert scenes
    slugs = {c.slug for c in CHARACTERS}
    presets = {p for group in MOTION_PRESETS.values() for p in group}
    for scene in scenes:
        assert scene.title and scene.shots
        for shot in scene.shots:
            assert shot.motion_prompt in presets
            assert set(shot.characters) <= slugs
            assert shot.dialogue_character is None or shot.dialogue_character in slugs
            assert 0 < shot.duration <= 60
    spoken = [s for scene in scenes for s in scene.shots if s.dialogue_text]
    assert {s.dialogue_character for s in spoken} == {"mira", "kenji"}


async def test_breakdown_respects_max_scenes(engine: LlmEngine) -> None:
    assert len(await engine.breakdown(CONTEXT, max_scenes=2)) <= 2


async def test_breakdown_works_from_a_summary_alone(engine: LlmEngine) -> None:
    scenes = await engine.breakdown(CONTEXT.model_copy(update={"script": ""}))
    assert scenes and all(scene.shots for scene in scenes)


async def test_breakdown_of_nothing_is_refused(engine: LlmEngine) -> None:
    with pytest.raises(EngineError):
        await engine.breakdown(StoryContext(project_name="Empty"))


async def test_enhanced_prompt_keeps_every_term_in_order(engine: LlmEngine) -> None:
    prompt = "mira, standing on the pier, storm clouds, close-up"
    enhanced = await engine.enhance_prompt(prompt, context=CONTEXT)
    positions = [enhanced.lower().find(term.strip()) for term in prompt.split(",")]
    assert -1 not in positions and positions == sorted(positions)
    assert len(enhanced) > len(prompt)


async def test_chat_answers_about_the_project(engine: LlmEngine) -> None:
    answer = await engine.chat(
        [ChatMessage(role="user", content="Who are the characters in this project?")], context=CONTEXT
    )
    assert "Mira" in answer and "Kenji" in answer


async def test_chat_always_says_something(engine: LlmEngine) -> None:
    answer = await engine.chat([ChatMessage(role="user", content="hello")])
    assert answer.strip()


async def test_status_is_reachable(engine: LlmEngine) -> None:
    status = await engine.status()
    assert (status.kind, status.name, status.reachable) == ("llm", engine.name, True)


def test_sample_script_is_a_real_fountain_document() -> None:
    assert re.search(r"^EXT\. .+ - NIGHT$", SCRIPT, re.MULTILINE) and "DISSOLVE TO:" in SCRIPT
