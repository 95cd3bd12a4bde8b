"""The one place that turns settings into concrete engines. Domains never import an implementation."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus, Kind
from anime_studio.engines.embeddings.base import EmbeddingEngine
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
    embeddings: EmbeddingEngine

    def by_kind(self) -> dict[Kind, object]:
        return {
            "image": self.image,
            "video": self.video,
            "vision": self.vision,
            "llm": self.llm,
            "tts": self.tts,
            "music": self.music,
            "publish": self.publish,
            "embeddings": self.embeddings,
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
        embeddings=embedding_engine(settings),
    )


# One factory per kind. Imports are local so a studio only loads the engines it is configured for.


def image_engine(settings: Settings) -> ImageEngine:
    raise NotImplementedError(settings.image_engine)


def video_engine(settings: Settings) -> VideoEngine:
    raise NotImplementedError(settings.video_engine)


def vision_engine(settings: Settings) -> VisionEngine:
    if settings.vision_engine == "ollama":
        from anime_studio.engines.vision.ollama import OllamaVision

        return OllamaVision(settings)
    if settings.vision_engine == "openai":
        from anime_studio.engines.vision.openai import OpenAIVision

        return OpenAIVision(settings)
    raise NotImplementedError(settings.vision_engine)


def llm_engine(settings: Settings) -> LlmEngine:
    if settings.llm_engine == "ollama":
        from anime_studio.engines.llm.ollama import OllamaLanguage

        return OllamaLanguage(settings)
    if settings.llm_engine == "openai":
        from anime_studio.engines.llm.openai import OpenAILanguage

        return OpenAILanguage(settings)
    raise NotImplementedError(settings.llm_engine)


def tts_engine(settings: Settings) -> TtsEngine:
    raise NotImplementedError(settings.tts_engine)


def music_engine(settings: Settings) -> MusicEngine:
    if settings.music_engine == "acestep":
        from anime_studio.engines.music.acestep import AceStepMusic

        return AceStepMusic(settings)
    raise NotImplementedError(settings.music_engine)


def fallback_music_engine() -> MusicEngine:
    """The embedded synthesiser, used when the configured music engine fails (spec: auto-generate from mood)."""
    from anime_studio.engines.music.synth import SynthMusicEngine

    return SynthMusicEngine()


def publisher(settings: Settings) -> Publisher:
    if settings.publish_engine == "jellyfin":
        from anime_studio.engines.publish.jellyfin import JellyfinPublisher

        return JellyfinPublisher(settings)
    from anime_studio.engines.publish.folder import FolderPublisher

    return FolderPublisher(settings.publish_dir)


def embedding_engine(settings: Settings) -> EmbeddingEngine:
    if settings.embedding_engine == "ollama":
        from anime_studio.engines.embeddings.ollama import OllamaEmbeddings

        return OllamaEmbeddings(settings)
    if settings.embedding_engine == "openai":
        from anime_studio.engines.embeddings.openai import OpenAIEmbeddings

        return OpenAIEmbeddings(settings)
    from anime_studio.engines.embeddings.hashing import HashingEmbeddings

    return HashingEmbeddings()
