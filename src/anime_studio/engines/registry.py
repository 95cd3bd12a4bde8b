"""The one place that turns settings into concrete engines. Domains never import an implementation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus, Kind
from anime_studio.engines.image.base import ImageEngine
from anime_studio.engines.llm.base import LlmEngine
from anime_studio.engines.music.base import MusicEngine
from anime_studio.engines.publish.base import Publisher
from anime_studio.engines.tts.base import TtsEngine
from anime_studio.engines.video.base import VideoEngine
from anime_studio.engines.vision.base import VisionEngine


@dataclass
class Engines:
    image: ImageEngine
    video: VideoEngine
    vision: VisionEngine
    llm: LlmEngine
    tts: TtsEngine
    music: MusicEngine
    publish: Publisher

    def by_kind(self) -> dict[Kind, object]:
        return {
            "image": self.image,
            "video": self.video,
            "vision": self.vision,
            "llm": self.llm,
            "tts": self.tts,
            "music": self.music,
            "publish": self.publish,
        }

    async def statuses(self) -> list[EngineStatus]:
        """Every engine's status, checked concurrently."""
        engines = list(self.by_kind().values())
        return list(await asyncio.gather(*(e.status() for e in engines)))  # type: ignore[attr-defined]


def build_engines(settings: Settings) -> Engines:
    return Engines(
        image=image_engine(settings),
        video=video_engine(settings),
        vision=vision_engine(settings),
        llm=llm_engine(settings),
        tts=tts_engine(settings),
        music=music_engine(settings),
        publish=publisher(settings),
    )


# One factory per kind. Imports are local so a studio only loads the engines it is configured for.


def image_engine(settings: Settings) -> ImageEngine:
    if settings.image_engine == "storyboard":
        from anime_studio.engines.image.storyboard import StoryboardEngine

        return StoryboardEngine(font=settings.storyboard_font)
    raise NotImplementedError(settings.image_engine)


def video_engine(settings: Settings) -> VideoEngine:
    if settings.video_engine == "kenburns":
        from anime_studio.engines.video.kenburns import KenBurnsEngine

        return KenBurnsEngine(preset=settings.kenburns_preset, crf=settings.kenburns_crf)
    raise NotImplementedError(settings.video_engine)


def vision_engine(settings: Settings) -> VisionEngine:
    if settings.vision_engine == "heuristic":
        from anime_studio.engines.vision.heuristic import HeuristicReviewer

        return HeuristicReviewer()
    raise NotImplementedError(settings.vision_engine)


def llm_engine(settings: Settings) -> LlmEngine:
    raise NotImplementedError(settings.llm_engine)


def tts_engine(settings: Settings) -> TtsEngine:
    raise NotImplementedError(settings.tts_engine)


def music_engine(settings: Settings) -> MusicEngine:
    raise NotImplementedError(settings.music_engine)


def publisher(settings: Settings) -> Publisher:
    raise NotImplementedError(settings.publish_engine)
