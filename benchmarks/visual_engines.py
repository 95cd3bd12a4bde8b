"""Time the embedded visual engines against their targets; prints ``name: ratio`` (measured / target).

Run: ``python benchmarks/visual_engines.py``. Ratios below 1.0 meet the target. Not part of the test suite.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from itertools import product
from pathlib import Path

from anime_studio.engines.image.base import CharacterHint, ImageRequest, SceneHint
from anime_studio.engines.image.storyboard import StoryboardEngine
from anime_studio.engines.video.base import VideoRequest
from anime_studio.engines.video.kenburns import KenBurnsEngine
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import HeuristicReviewer

HANA = CharacterHint("Hana Aoyama", {"hair": "#1b1b1b", "raincoat": "#f2c14e", "scarf": "#c0392b", "bag": "#7b4b2a"})
PIP = CharacterHint(
    "Pip", {"body": "#f39c12", "glow": "#ffd166", "frame": "#5d4037"}, "lantern spirit (NOT human)", False
)
SHOTS = ("establishing", "wide", "medium", "close-up", "extreme_close-up", "action")
PLACES = ("harbour town", "forest", "classroom", "beach", "lighthouse")
WEATHER = ("clear", "rain", "snow", "fog")


async def storyboard(folder: Path) -> list[float]:
    engine = StoryboardEngine()
    times = []
    for i, (shot, place, weather) in enumerate(product(SHOTS, PLACES, WEATHER)):
        scene = SceneHint(location=place, time_of_day="evening", weather=weather, shot_type=shot)
        request = ImageRequest("", "", i, 1024, 576, folder / f"{i}.png", characters=(HANA, PIP), scene=scene)
        started = time.perf_counter()
        await engine.generate(request)
        times.append(time.perf_counter() - started)
    return times


async def kenburns(source: Path, folder: Path) -> list[float]:
    engine = KenBurnsEngine()
    times = []
    for i, (shot, motion) in enumerate(
        (("close-up", ""), ("wide", "camera pans left to right"), ("action", "fast punch"))
    ):
        request = VideoRequest(source, motion, folder / f"{i}.mp4", 4.0, 24, 1280, 720, seed=i, shot_type=shot)
        started = time.perf_counter()
        await engine.animate(request)
        times.append(time.perf_counter() - started)
    return times


async def heuristic(image: Path) -> list[float]:
    reviewer = HeuristicReviewer()
    times = []
    for _ in range(10):
        started = time.perf_counter()
        await reviewer.review(
            ReviewRequest(image, key_colors=dict(HANA.key_colors), expected_width=1024, expected_height=576)
        )
        times.append(time.perf_counter() - started)
    return times


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        panels = await storyboard(folder)
        clips = await kenburns(folder / "0.png", folder)
        reviews = await heuristic(folder / "0.png")
    print(f"storyboard_1024x576_median_vs_0.3s: {statistics.median(panels) / 0.3:.2f}")
    print(f"storyboard_1024x576_max_vs_0.3s: {max(panels) / 0.3:.2f}")
    print(f"kenburns_4s_720p24_median_vs_3s: {statistics.median(clips) / 3.0:.2f}")
    print(f"heuristic_1024x576_median_vs_0.2s: {statistics.median(reviews) / 0.2:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
