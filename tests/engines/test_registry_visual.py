"""The registry builds the embedded image, video and vision engines from settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from anime_studio.config import Settings
from anime_studio.engines import registry
from anime_studio.engines.base import EngineError
from anime_studio.engines.image.storyboard import StoryboardEngine
from anime_studio.engines.video.kenburns import KenBurnsEngine
from anime_studio.engines.vision.heuristic import HeuristicReviewer


def test_defaults_are_the_embedded_engines(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    assert isinstance(registry.image_engine(settings), StoryboardEngine)
    assert isinstance(registry.video_engine(settings), KenBurnsEngine)
    assert isinstance(registry.vision_engine(settings), HeuristicReviewer)


def test_engine_settings_reach_the_engines(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, kenburns_preset="ultrafast", kenburns_crf=26)
    video = registry.video_engine(settings)
    assert isinstance(video, KenBurnsEngine) and (video.preset, video.crf) == ("ultrafast", 26)
    with pytest.raises(EngineError, match="font not found"):
        registry.image_engine(Settings(data_dir=tmp_path, storyboard_font=tmp_path / "none.ttf"))


async def test_statuses_are_reachable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    for engine in (registry.image_engine(settings), registry.video_engine(settings), registry.vision_engine(settings)):
        status = await engine.status()
        assert status.reachable, status.detail
