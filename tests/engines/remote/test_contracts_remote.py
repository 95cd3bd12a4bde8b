"""Per-kind contract checks for the remote implementations (built through the registry, against the fakes).

The lead folds these parametrisations into the per-kind contract suites.
"""

from __future__ import annotations

import wave
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from anime_studio.config import Settings
from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.engines.llm.base import CharacterBrief, ChatMessage, LlmEngine, ScenePlan, StoryContext
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.registry import embedding_engine, llm_engine, music_engine, vision_engine
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores, VisionEngine
from tests.fakes.acestep import FakeAceStep
from tests.fakes.live import LiveServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

CONTEXT = StoryContext(
    project_name="Demo",
    summary="A courier crosses a city of canals.",
    characters=[CharacterBrief(name="Mika", slug="mika")],
)


@pytest.fixture(params=["ollama", "openai"])
def remote_settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Settings]]:
    """Settings factory pointing the chosen backend at its fake."""
    fake = FakeOllama() if request.param == "ollama" else FakeOpenAI()
    with LiveServer(fake.app) as server:

        def build(**overrides: object) -> Settings:
            base: dict[str, object] = {"data_dir": tmp_path / "data"}
            if request.param == "ollama":
                base["ollama_url"] = server.url
            else:
                base.update(openai_base_url=server.url + "/v1", openai_api_key="sk-test")
            kind = {f"{k}_engine": request.param for k in ("vision", "llm", "embedding")}
            return Settings(**{**base, **kind, **overrides})  # type: ignore[arg-type]

        yield build


async def test_vision_contract(remote_settings: Callable[..., Settings], character_png: Path) -> None:
    engine: VisionEngine = vision_engine(remote_settings())
    scores = await engine.review(ReviewRequest(image_path=character_png, species="cat", is_human=False))
    assert isinstance(scores, ReviewScores) and scores.engine == engine.name
    assert 0 <= scores.quality_score <= 1 and scores.species_verified in (True, False)
    status = await engine.status()
    assert status.kind == "vision" and status.reachable and status.name == engine.name


async def test_llm_contract(remote_settings: Callable[..., Settings]) -> None:
    engine: LlmEngine = llm_engine(remote_settings())
    scenes = await engine.breakdown(CONTEXT, max_scenes=2)
    assert 1 <= len(scenes) <= 2 and all(isinstance(s, ScenePlan) for s in scenes)
    enhanced = await engine.enhance_prompt("courier, canal city, dusk")
    assert all(term in enhanced for term in ("courier", "canal city", "dusk"))
    assert isinstance(await engine.chat([ChatMessage(role="user", content="hi")], context=CONTEXT), str)
    assert (await engine.status()).kind == "llm"


async def test_embeddings_contract(remote_settings: Callable[..., Settings]) -> None:
    engines: list[EmbeddingEngine] = [
        embedding_engine(remote_settings()),
        embedding_engine(remote_settings(embedding_engine="hashing")),
    ]
    for engine in engines:
        first, again = await engine.embed(["a canal at dusk", "a canal at dusk"])
        assert first == again and len(first) == engine.dimensions > 0
        assert await engine.embed([]) == []
        assert (await engine.status()).kind == "embeddings"


async def test_music_contract(tmp_path: Path) -> None:
    fake = FakeAceStep(delay=0.1)
    with LiveServer(fake.app) as server:
        settings = Settings(
            data_dir=tmp_path, music_engine="acestep", acestep_url=server.url, acestep_poll_interval=0.05
        )
        engine = music_engine(settings)
        result = await engine.compose(MusicRequest(mood="tense", duration=2.0, output_path=tmp_path / "m.wav"))
        assert (await engine.status()).kind == "music"
    with wave.open(str(result.path), "rb") as handle:
        assert handle.getnchannels() == 2 and handle.getnframes() == 2 * handle.getframerate()
    assert result.engine == engine.name and result.duration == 2.0
