"""The vision review contract, run against every implementation.

To add an implementation, append a ``pytest.param(factory, id=...)`` to ``VISION_ENGINES``; a factory
gets the pytest request, so it can use fixtures (a fake server, a tmp dir) via ``getfixturevalue``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores, VisionEngine
from anime_studio.engines.vision.heuristic import HeuristicReviewer
from tests.engines.samples import HANA, textured_image

VisionFactory = Callable[[pytest.FixtureRequest], VisionEngine]


def _heuristic(request: pytest.FixtureRequest) -> VisionEngine:
    return HeuristicReviewer()


VISION_ENGINES = [pytest.param(_heuristic, id="heuristic")]


@pytest.fixture(params=VISION_ENGINES)
def engine(request: pytest.FixtureRequest) -> VisionEngine:
    factory: VisionFactory = request.param
    return factory(request)


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


async def test_scores_follow_the_schema(engine: VisionEngine, tmp_path: Path) -> None:
    scores = await engine.review(review_request(textured_image(tmp_path / "img.png")))
    assert isinstance(scores, ReviewScores)
    for value in (scores.character_match, scores.clarity, scores.training_value):
        assert 0 <= value <= 10
    assert 0 <= scores.quality_score <= 1
    assert scores.quality_score == pytest.approx(
        (scores.character_match + scores.clarity + scores.training_value) / 30, abs=0.01
    )
    assert scores.completeness in {"full", "partial", "face", "unknown"}
    assert all(isinstance(k, str) and isinstance(v, bool) for k, v in scores.feature_checklist.items())
    assert scores.engine == engine.name


async def test_same_image_same_scores(engine: VisionEngine, tmp_path: Path) -> None:
    path = textured_image(tmp_path / "img.png")
    assert await engine.review(review_request(path)) == await engine.review(review_request(path))


async def test_missing_image_is_an_engine_error(engine: VisionEngine, tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="not found"):
        await engine.review(review_request(tmp_path / "missing.png"))


async def test_non_image_is_an_engine_error(engine: VisionEngine, tmp_path: Path) -> None:
    path = tmp_path / "text.png"
    path.write_text("not an image")
    with pytest.raises(EngineError):
        await engine.review(review_request(path))


async def test_non_human_species_is_never_silently_verified(engine: VisionEngine, tmp_path: Path) -> None:
    path = textured_image(tmp_path / "img.png")
    scores = await engine.review(review_request(path, species="lantern spirit (NOT human)", is_human=False))
    if scores.species_verified is None:
        assert any("species" in issue for issue in scores.issues)


async def test_status_shape(engine: VisionEngine) -> None:
    status = await engine.status()
    assert isinstance(status, EngineStatus)
    assert status.kind == "vision" and status.name == engine.name
    assert isinstance(status.reachable, bool)
