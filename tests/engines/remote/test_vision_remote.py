"""Ollama and OpenAI-compatible vision reviewer specifics against faithful fake servers.

The score schema, bad images, status and a server that is down are the vision contract (``test_contract_vision.py``).
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.ollama import OllamaVision
from anime_studio.engines.vision.openai import OpenAIVision
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

FOX = {
    "character_name": "Kitsu",
    "design_prompt": "anthropomorphic fox girl, silver fur, red scarf",
    "species": "anthropomorphic fox (NOT human)",
    "is_human": False,
    "key_colors": {"fur": "silver", "scarf": "red"},
    "key_features": ("bushy tail with white tip",),
    "common_errors": ("human ears",),
}


def review_answer(**overrides: object) -> str:
    answer = {
        "character_match": 8,
        "clarity": 7,
        "training_value": 9,
        "solo": True,
        "completeness": "full",
        "issues": [],
        "feature_checklist": {},
    }
    answer.update(overrides)
    return json.dumps(answer)


async def test_ollama_review_sends_image_and_schema(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = ollama
    engine = OllamaVision(settings_for(ollama_url=url))
    scores = await engine.review(ReviewRequest(image_path=character_png, character_name="Aoi"))
    (chat,) = fake.chats()
    user = chat["messages"][-1]
    assert chat["stream"] is False and chat["model"] == "gemma3:12b"
    assert base64.b64decode(user["images"][0]) == character_png.read_bytes()
    assert chat["format"]["required"] == [
        "character_match", "clarity", "training_value", "solo", "completeness", "issues", "feature_checklist",
        "description",
    ]  # fmt: skip
    assert scores.species_verified is None


async def test_species_check_runs_for_non_human_only(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = ollama
    engine = OllamaVision(settings_for(ollama_url=url))
    fake.replies += [review_answer(), '{"answer": "no", "reason": "the figure has a human face"}']
    scores = await engine.review(ReviewRequest(image_path=character_png, **FOX))  # type: ignore[arg-type]
    chats = fake.chats()
    assert len(chats) == 2
    assert "fox" in chats[1]["messages"][-1]["content"] and chats[1]["format"]["properties"]["answer"]["enum"]
    assert scores.species_verified is False
    assert any("species check failed" in issue for issue in scores.issues)
    features = chats[0]["format"]["properties"]["feature_checklist"]["required"]
    assert features == [
        "species: anthropomorphic fox (NOT human)", "fur: silver", "scarf: red",
        "bushy tail with white tip", "free of: human ears",
    ]  # fmt: skip
    await engine.review(ReviewRequest(image_path=character_png, character_name="Aoi"))
    assert len(fake.chats()) == 3  # a human character: one call, no species question


async def test_malformed_model_output_is_repaired(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = ollama
    fake.replies.append(
        "Sure! Here is the review:\n```json\n"
        '{"character_match": "8/10", "clarity": "12", "training_value": -3, "solo": "yes",'
        ' "completeness": "upper body", "issues": "blurry hands; extra finger",'
        ' "feature_checklist": {"Fur: Silver": "yes"},}\n```'
    )
    request = ReviewRequest(image_path=character_png, key_colors={"fur": "silver", "scarf": "red"})
    scores = await OllamaVision(settings_for(ollama_url=url)).review(request)
    assert (scores.character_match, scores.clarity, scores.training_value) == (8.0, 10.0, 0.0)
    assert scores.solo is True and scores.completeness == "partial"
    assert scores.issues == ["blurry hands", "extra finger"]
    assert scores.feature_checklist == {"fur: silver": True, "scarf: red": False}
    assert scores.quality_score == pytest.approx(18 / 30, abs=1e-4)


async def test_garbage_output_is_a_clear_engine_error(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = ollama
    fake.replies.append("I cannot review images today.")
    with pytest.raises(EngineError, match="without a JSON review"):
        await OllamaVision(settings_for(ollama_url=url)).review(ReviewRequest(image_path=character_png))


async def test_missing_model_tells_to_pull(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    _, url = ollama
    engine = OllamaVision(settings_for(ollama_url=url, ollama_vision_model="llava:34b"))
    with pytest.raises(EngineError, match=r"ollama pull llava:34b") as caught:
        await engine.review(ReviewRequest(image_path=character_png))
    assert not isinstance(caught.value, TransientEngineError)


async def test_timeout_is_transient(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = ollama
    fake.delay = 1.5
    engine = OllamaVision(settings_for(ollama_url=url, ollama_timeout=0.3))
    with pytest.raises(TransientEngineError, match="did not answer in time"):
        await engine.review(ReviewRequest(image_path=character_png))


async def test_large_and_webp_images_are_reencoded(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], tmp_path: Path
) -> None:
    fake, url = ollama
    path = tmp_path / "big.webp"
    Image.new("RGB", (2400, 1600), (10, 200, 30)).save(path)
    request = ReviewRequest(image_path=path, expected_width=512, expected_height=512)
    scores = await OllamaVision(settings_for(ollama_url=url)).review(request)
    sent = Image.open(io.BytesIO(base64.b64decode(fake.chats()[0]["messages"][-1]["images"][0])))
    assert sent.format == "JPEG" and max(sent.size) == 1344
    assert "resolution 2400x1600, expected 512x512" in scores.issues


async def test_ollama_status_lists_installed_and_loaded(
    ollama: tuple[FakeOllama, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    _, url = ollama
    engine = OllamaVision(settings_for(ollama_url=url))
    before = await engine.status()
    assert before.reachable and "gemma3:12b" in before.models and before.extra["loaded"] == []
    await engine.review(ReviewRequest(image_path=character_png))
    after = await engine.status()
    assert after.extra["loaded"] == ["gemma3:12b"] and after.extra["model_installed"] is True
    missing = await OllamaVision(settings_for(ollama_url=url, ollama_vision_model="qwen2.5vl")).status()
    assert "ollama pull qwen2.5vl" in missing.detail


async def test_openai_review_uses_data_url_and_strict_schema(
    openai: tuple[FakeOpenAI, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    fake, url = openai
    engine = OpenAIVision(settings_for(openai_base_url=url, openai_api_key="sk-test"))
    scores = await engine.review(ReviewRequest(image_path=character_png, **FOX))  # type: ignore[arg-type]
    review, species = fake.chats()
    image_part = review["messages"][-1]["content"][1]
    assert image_part["image_url"]["url"].startswith("data:image/png;base64,")
    assert review["response_format"]["json_schema"]["strict"] is True
    assert species["response_format"]["json_schema"]["name"] == "species_check"
    assert scores.species_verified in (True, False)
    assert set(scores.feature_checklist) == set(
        review["response_format"]["json_schema"]["schema"]["properties"]["feature_checklist"]["required"]
    )


async def test_openai_bad_key_is_permanent_with_hint(
    openai: tuple[FakeOpenAI, str], settings_for: Callable[..., Settings], character_png: Path
) -> None:
    _, url = openai
    engine = OpenAIVision(settings_for(openai_base_url=url, openai_api_key="sk-wrong"))
    with pytest.raises(EngineError, match="rejected the API key") as caught:
        await engine.review(ReviewRequest(image_path=character_png))
    assert not isinstance(caught.value, TransientEngineError)
    status = await engine.status()
    assert status.reachable is True and "401" in status.detail
