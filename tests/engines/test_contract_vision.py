"""The vision review contract, run against every implementation (remote ones through their fake servers).

To add an implementation, add an ``Impl`` to ``VISION`` (see ``tests/engines/contract.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.registry import vision_engine
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores, VisionEngine
from anime_studio.engines.vision.heuristic import HeuristicReviewer
from tests.engines import contract
from tests.engines.samples import HANA, textured_image

VISION: dict[str, contract.Impl[VisionEngine]] = {
    "heuristic": contract.Impl(lambda backends: HeuristicReviewer()),
    "ollama": contract.served("ollama", lambda backends: vision_engine(backends.ollama("vision"))),
    "openai": contract.served("openai", lambda backends: vision_engine(backends.openai("vision"))),
}


@pytest.fixture(params=contract.impl_params(VISION))
def impl(request: pytest.FixtureRequest) -> contract.Impl[VisionEngine]:
    return request.param  # type: ignore[no-any-return]


def review_request(path: Path, **changes: object) -> ReviewRequest:
    fields: dict[str, object] = {
        "image_path": path,
        "character_name": HANA.name,
        "design_prompt": "1girl, short black bob hair, yellow raincoat, red scarf",
        "key_colors": dict(HANA.key_colors),
        "key_features": ("short black bob", "yellow raincoat"),
        "expected_width": 640,
        "expected_height": 360,
    }
    fields.update(changes)
    return ReviewRequest(**fields)  # type: ignore[arg-type]


def assert_schema(scores: ReviewScores, engine: VisionEngine) -> None:
    """The spec's score schema, the same for every reviewer."""
    assert isinstance(scores, ReviewScores)
    for value in (scores.character_match, scores.clarity, scores.training_value):
        assert 0 <= value <= 10
    assert 0 <= scores.quality_score <= 1
    assert scores.quality_score == pytest.approx(
        (scores.character_match + scores.clarity + scores.training_value) / 30, abs=0.01
    )
    assert isinstance(scores.solo, bool)
    assert scores.completeness in {"full", "partial", "face", "unknown"}
    assert all(isinstance(k, str) and isinstance(v, bool) for k, v in scores.feature_checklist.items())
    assert all(isinstance(issue, str) and issue for issue in scores.issues)
    assert scores.engine == engine.name


async def test_scores_follow_the_schema(engine: VisionEngine, tmp_path: Path) -> None:
    scores = await engine.review(review_request(textured_image(tmp_path / "img.png")))
    assert_schema(scores, engine)
    assert scores.species_verified is None  # a human character gets no species question


async def test_a_bare_request_is_enough(engine: VisionEngine, tmp_path: Path) -> None:
    """Shot reviews have no character data: only the image (and free-text context)."""
    scores = await engine.review(ReviewRequest(image_path=textured_image(tmp_path / "img.png"), context="a harbour"))
    assert_schema(scores, engine)


@pytest.mark.parametrize("impl", contract.impl_params(VISION, contract.deterministic))
async def test_same_image_same_scores(engine: VisionEngine, tmp_path: Path) -> None:
    path = textured_image(tmp_path / "img.png")
    assert await engine.review(review_request(path)) == await engine.review(review_request(path))


async def test_missing_image_is_an_engine_error(engine: VisionEngine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match=r"not found: missing\.png") as raised:
        await engine.review(review_request(tmp_path / "missing.png"))
    assert not isinstance(raised.value, TransientEngineError)


async def test_non_image_is_an_engine_error(engine: VisionEngine, tmp_path: Path) -> None:
    path = tmp_path / "text.png"
    path.write_text("not an image")
    with pytest.raises(EngineError, match=r"text\.png") as raised:
        await engine.review(review_request(path))
    assert not isinstance(raised.value, TransientEngineError)


async def test_non_human_species_is_never_silently_verified(engine: VisionEngine, tmp_path: Path) -> None:
    path = textured_image(tmp_path / "img.png")
    scores = await engine.review(review_request(path, species="lantern spirit (NOT human)", is_human=False))
    assert_schema(scores, engine)
    if scores.species_verified is None:
        assert any("species" in issue for issue in scores.issues)


async def test_status_shape(engine: VisionEngine) -> None:
    contract.assert_status(await engine.status(), "vision", engine.name)


@pytest.mark.parametrize("impl", contract.impl_params(VISION, contract.remote))
async def test_server_down_is_transient(
    impl: contract.Impl[VisionEngine], fake_servers: contract.FakeServers, tmp_path: Path
) -> None:
    request = review_request(textured_image(tmp_path / "img.png"))
    await contract.assert_down_is_transient(
        impl, fake_servers, tmp_path, "vision", lambda engine: engine.review(request)
    )
