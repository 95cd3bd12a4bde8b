"""Ollama and OpenAI-compatible language engine specifics against faithful fake servers.

Valid scene plans, max_scenes, kept prompt terms, status and a server that is down are the language
contract (``test_contract_llm.py``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.llm.base import CharacterBrief, ChatMessage, StoryContext
from anime_studio.engines.llm.ollama import OllamaLanguage
from anime_studio.engines.llm.openai import OpenAILanguage
from anime_studio.engines.llm.prompting import SHOT_TYPES
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

STORY = StoryContext(
    project_name="Lantern Harbour",
    title="The Last Ferry",
    summary="Aoi and her fox friend Kitsu chase the last ferry through a flooded neon city.",
    tone="bittersweet",
    genre="fantasy",
    art_style="watercolour anime",
    world_description="A drowned city lit by paper lanterns.",
    characters=[
        CharacterBrief(name="Aoi Tanaka", slug="aoi", role="lead", design_prompt="girl, short blue hair"),
        CharacterBrief(name="Kitsu", slug="kitsu", role="companion", design_prompt="silver fox spirit"),
    ],
)


async def test_breakdown_sends_context_and_schema(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    scenes = await OllamaLanguage(settings_for(ollama_url=url)).breakdown(STORY, max_scenes=4)
    (chat,) = fake.chats()
    user = chat["messages"][-1]["content"]
    for section in ("Story Context:", "Characters:", "World Setting:", "slug: kitsu", "drowned city"):
        assert section in user
    shot_schema = chat["format"]["properties"]["scenes"]["items"]["properties"]["shots"]["items"]
    assert shot_schema["properties"]["shot_type"]["enum"] == list(SHOT_TYPES)
    assert shot_schema["properties"]["dialogue_character"]["enum"] == ["aoi", "kitsu", ""]
    assert all(1.0 <= shot.duration <= 12.0 for scene in scenes for shot in scene.shots)  # clamped to a shot's range


async def test_breakdown_repairs_loose_output(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    loose = [
        {
            "title": "",
            "time_of_day": "Night",
            "mood": "Tense",
            "suggested_shots": [
                {"shot_type": "Close Up", "description": "Aoi looks up", "duration_seconds": "4s",
                 "characters": ["Aoi Tanaka", "Stranger"], "dialogue_character": "AOI", "dialogue_text": "Wait!"},
                {"shot_type": "dutch tilt", "duration": 99, "dialogue_character": "Narrator", "dialogue_text": "…"},
                {"type": "extreme close up", "duration": -2, "camera_angle": "Low angle"},
            ],
        },
        {"title": "Ferry", "shots": []},
        {"title": "Overflow"},
    ]  # fmt: skip
    fake.replies.append("```json\n" + json.dumps(loose) + "\n```")
    scenes = await OllamaLanguage(settings_for(ollama_url=url)).breakdown(STORY, max_scenes=2)
    assert [s.title for s in scenes] == ["Scene 1", "Ferry"]
    first, second, third = scenes[0].shots
    assert (first.shot_type, first.duration, first.characters) == ("close-up", 4.0, ["aoi"])
    assert (first.dialogue_character, first.dialogue_text) == ("aoi", "Wait!")
    assert (second.shot_type, second.duration, second.dialogue_character, second.dialogue_text) == (
        "medium",
        12.0,
        None,
        "",
    )
    assert second.motion_prompt  # filled from the presets when the model gave none
    assert (third.shot_type, third.duration, third.camera_angle) == ("extreme_close-up", 3.0, "low_angle")
    assert scenes[0].time_of_day == "night" and scenes[0].mood == "tense"


async def test_breakdown_retries_once_then_fails_clearly(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    engine = OllamaLanguage(settings_for(ollama_url=url))
    fake.replies += ["no json here", '{"scenes": [{"title": "Recovered", "shots": []}]}']
    scenes = await engine.breakdown(STORY)
    assert [s.title for s in scenes] == ["Recovered"] and len(fake.chats()) == 2
    fake.replies += ["nope", '{"scenes": []}']
    with pytest.raises(EngineError, match="no usable scene breakdown"):
        await engine.breakdown(STORY)


async def test_enhance_keeps_terms_or_appends(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    engine = OllamaLanguage(settings_for(ollama_url=url))
    prompt = "1girl, Blue Hair, red scarf, (masterpiece:1.2)"
    fake.replies.append(json.dumps({"prompt": "1girl, blue hair, red scarf, (masterpiece:1.2), rim light, rain"}))
    assert await engine.enhance_prompt(prompt) == "1girl, blue hair, red scarf, (masterpiece:1.2), rim light, rain"
    fake.replies.append(json.dumps({"prompt": "a girl with blue hair, rim light, rain-soaked street"}))
    merged = await engine.enhance_prompt(prompt)
    assert (
        merged == "1girl, Blue Hair, red scarf, (masterpiece:1.2), a girl with blue hair, rim light, rain-soaked street"
    )
    fake.replies.append("rim light, 1girl, Blue Hair, red scarf, (masterpiece:1.2)")  # ignored the JSON shape
    assert (await engine.enhance_prompt(prompt)).startswith("rim light, 1girl")


async def test_chat_includes_project_context(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    reply = await OllamaLanguage(settings_for(ollama_url=url)).chat(
        [ChatMessage(role="user", content="Name three locations")], context=STORY
    )
    (chat,) = fake.chats()
    assert chat["messages"][0]["role"] == "system" and "Lantern Harbour" in chat["messages"][0]["content"]
    assert "format" not in chat and reply == "Noted: Name three locations"


async def test_missing_chat_model_and_timeout(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = ollama
    with pytest.raises(EngineError, match="ollama pull mistral"):
        await OllamaLanguage(settings_for(ollama_url=url, ollama_chat_model="mistral")).breakdown(STORY)
    fake.delay = 1.0
    with pytest.raises(TransientEngineError):
        await OllamaLanguage(settings_for(ollama_url=url, ollama_timeout=0.2)).chat(
            [ChatMessage(role="user", content="hi")]
        )


async def test_openai_breakdown_strict_schema_accepted(
    openai: tuple[FakeOpenAI, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = openai
    engine = OpenAILanguage(settings_for(openai_base_url=url, openai_api_key="sk-test"))
    await engine.breakdown(STORY, max_scenes=3)
    (chat,) = fake.chats()
    assert chat["response_format"]["json_schema"]["name"] == "scene_breakdown"
    assert chat["response_format"]["json_schema"]["strict"] is True  # the fake validated it as OpenAI does


async def test_openai_unknown_model_and_bad_key(
    openai: tuple[FakeOpenAI, str], settings_for: Callable[..., Settings]
) -> None:
    _, url = openai
    unknown = OpenAILanguage(settings_for(openai_base_url=url, openai_api_key="sk-test", openai_chat_model="gpt-9"))
    with pytest.raises(EngineError, match="does not know model 'gpt-9'"):
        await unknown.chat([ChatMessage(role="user", content="hi")])
    status = await unknown.status()
    assert status.reachable and "not offered" in status.detail
    bad = OpenAILanguage(settings_for(openai_base_url=url, openai_api_key="nope"))
    with pytest.raises(EngineError, match="401"):
        await bad.enhance_prompt("a cat")
