"""The one place that turns settings into concrete engines. Domains never import an implementation."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from anime_studio.config import Settings
from anime_studio.engines.base import Kind
from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.engines.image.base import ImageEngine
from anime_studio.engines.llm.base import LlmEngine
from anime_studio.engines.music.base import MusicEngine
from anime_studio.engines.publish.base import Publisher
from anime_studio.engines.training.base import TrainingEngine
from anime_studio.engines.transcribe.base import TranscribeEngine
from anime_studio.engines.tts.base import TtsEngine
from anime_studio.engines.video.base import VideoEngine
from anime_studio.engines.vision.base import VisionEngine

if TYPE_CHECKING:
    from anime_studio.engines.comfyui.pool import ComfyPool
    from anime_studio.engines.comfyui.queued import SubmitQueue
    from anime_studio.engines.comfyui.render import Renderer


class Engines:
    """The engines the settings select, each built on first use (a process loads only what it needs)."""

    def __init__(self, settings: Settings, submit_queue: SubmitQueue | None = None) -> None:
        self.settings = settings
        self.submit_queue = submit_queue

    @cached_property
    def image(self) -> ImageEngine:
        return image_engine(self.settings, self.submit_queue)

    @cached_property
    def video(self) -> VideoEngine:
        return video_engine(self.settings, self.submit_queue)

    @cached_property
    def vision(self) -> VisionEngine:
        return vision_engine(self.settings)

    @cached_property
    def llm(self) -> LlmEngine:
        return llm_engine(self.settings)

    @cached_property
    def tts(self) -> TtsEngine:
        return tts_engine(self.settings)

    @cached_property
    def music(self) -> MusicEngine:
        return music_engine(self.settings, self.submit_queue)

    @cached_property
    def publish(self) -> Publisher:
        return publisher(self.settings)

    @cached_property
    def embeddings(self) -> EmbeddingEngine:
        return embedding_engine(self.settings)

    @cached_property
    def training(self) -> TrainingEngine:
        return training_engine(self.settings)

    @cached_property
    def transcribe(self) -> TranscribeEngine:
        return transcribe_engine(self.settings)

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
            "training": self.training,
            "transcribe": self.transcribe,
        }


def build_engines(settings: Settings, *, submit_queue: SubmitQueue | None = None) -> Engines:
    """Every engine the settings select; ``submit_queue`` routes ComfyUI prompts through the GPU queues."""
    return Engines(settings, submit_queue)


def comfyui_renderer(settings: Settings, submit_queue: SubmitQueue | None) -> Renderer:
    """Prompts go through the per-backend GPU queues when the studio's queue is available, else in-process."""
    from anime_studio.engines.comfyui.queued import QueuedRenderer
    from anime_studio.engines.comfyui.render import PoolRenderer

    if submit_queue is not None and settings.comfyui_scheduler == "queue":
        return QueuedRenderer(comfyui_pool(settings), submit_queue)
    return PoolRenderer(comfyui_pool(settings))


def comfyui_pool(settings: Settings) -> ComfyPool:
    """The process-wide pool of the ComfyUI backends in ``settings.comfyui_urls`` (GPU status, validation)."""
    from anime_studio.engines.comfyui.factory import pool_for

    return pool_for(settings)


# One factory per kind. Imports are local so a studio only loads the engines it is configured for.


def image_engine(settings: Settings, submit_queue: SubmitQueue | None = None) -> ImageEngine:
    if settings.image_engine == "storyboard":
        from anime_studio.engines.image.storyboard import StoryboardEngine

        return StoryboardEngine(font=settings.storyboard_font)
    if settings.image_engine == "comfyui":
        from anime_studio.engines.comfyui.factory import pool_for
        from anime_studio.engines.image.comfyui import ComfyImageEngine
        from anime_studio.workflow_templates.store import DatabaseTemplateStore

        return ComfyImageEngine(
            pool=pool_for(settings),
            renderer=comfyui_renderer(settings, submit_queue),
            default_checkpoint=settings.comfyui_default_checkpoint,
            template=settings.comfyui_image_template,
            templates=DatabaseTemplateStore(settings) if settings.comfyui_image_template else None,
        )
    raise _unknown("image", settings.image_engine)


def video_engine(settings: Settings, submit_queue: SubmitQueue | None = None) -> VideoEngine:
    variant = settings.video_engine
    if variant == "kenburns":
        from anime_studio.engines.video.kenburns import KenBurnsEngine

        return KenBurnsEngine(preset=settings.kenburns_preset, crf=settings.kenburns_crf)
    if variant == "framepack" or variant == "ltxv" or variant == "wan":
        from anime_studio.engines.comfyui.factory import pool_for
        from anime_studio.engines.comfyui.workflows.video import FramePackModels, LtxvModels, WanModels
        from anime_studio.engines.video.comfyui import ComfyVideoEngine

        models: dict[str, FramePackModels | LtxvModels | WanModels] = {
            "framepack": FramePackModels(model=settings.comfyui_framepack_model),
            "ltxv": LtxvModels(checkpoint=settings.comfyui_ltxv_checkpoint),
            "wan": WanModels(model=settings.comfyui_wan_model),
        }
        return ComfyVideoEngine(
            variant,
            pool=pool_for(settings),
            renderer=comfyui_renderer(settings, submit_queue),
            output=settings.comfyui_video_output,
            models=models[variant],
        )
    raise _unknown("video", variant)


def vision_engine(settings: Settings) -> VisionEngine:
    if settings.vision_engine == "heuristic":
        from anime_studio.engines.vision.heuristic import HeuristicReviewer

        return HeuristicReviewer()
    if settings.vision_engine == "ollama":
        from anime_studio.engines.vision.ollama import OllamaVision

        return OllamaVision(settings)
    if settings.vision_engine == "openai":
        from anime_studio.engines.vision.openai import OpenAIVision

        return OpenAIVision(settings)
    raise _unknown("vision", settings.vision_engine)


def llm_engine(settings: Settings) -> LlmEngine:
    if settings.llm_engine == "rules":
        from anime_studio.engines.llm.rules import RulesLlmEngine

        return RulesLlmEngine()
    if settings.llm_engine == "ollama":
        from anime_studio.engines.llm.ollama import OllamaLanguage

        return OllamaLanguage(settings)
    if settings.llm_engine == "openai":
        from anime_studio.engines.llm.openai import OpenAILanguage

        return OpenAILanguage(settings)
    raise _unknown("llm", settings.llm_engine)


def tts_engine(settings: Settings) -> TtsEngine:
    if settings.tts_engine == "espeak":
        from anime_studio.engines.tts.espeak import EspeakEngine

        return EspeakEngine()
    raise _unknown("tts", settings.tts_engine)


def transcribe_engine(settings: Settings) -> TranscribeEngine:
    if settings.transcribe_engine == "pocketsphinx":
        from anime_studio.engines.transcribe.pocketsphinx import PocketSphinxTranscriber

        return PocketSphinxTranscriber()
    if settings.transcribe_engine == "openai":
        from anime_studio.engines.transcribe.openai import OpenAITranscriber

        return OpenAITranscriber(settings)
    raise _unknown("transcribe", settings.transcribe_engine)


def music_engine(settings: Settings, submit_queue: SubmitQueue | None = None) -> MusicEngine:
    if settings.music_engine == "synth":
        from anime_studio.engines.music.synth import SynthMusicEngine

        return SynthMusicEngine()
    if settings.music_engine == "acestep":
        from anime_studio.engines.music.acestep import AceStepMusic

        return AceStepMusic(settings)
    if settings.music_engine == "comfyui-ace":
        from anime_studio.engines.comfyui.factory import pool_for
        from anime_studio.engines.music.comfyui_ace import ComfyAceMusicEngine

        return ComfyAceMusicEngine(
            pool=pool_for(settings),
            renderer=comfyui_renderer(settings, submit_queue),
            checkpoint=settings.comfyui_ace_checkpoint,
        )
    raise _unknown("music", settings.music_engine)


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
    if settings.embedding_engine == "hashing":
        from anime_studio.engines.embeddings.hashing import HashingEmbeddings

        return HashingEmbeddings()
    from anime_studio.engines.embeddings.wordllama import WordLlamaEmbeddings

    return WordLlamaEmbeddings()


def training_engine(settings: Settings) -> TrainingEngine:
    if settings.training_engine == "diffusers":
        from anime_studio.engines.training.diffusers.engine import DiffusersTrainer, TrainerOptions

        return DiffusersTrainer(
            TrainerOptions(
                checkpoints_dir=settings.training_checkpoints,
                components_dir=settings.training_components_dir,
                device=settings.training_device,
                mixed_precision=settings.training_mixed_precision,
                train_text_encoder=settings.training_text_encoder,
                gradient_checkpointing=settings.training_gradient_checkpointing,
            )
        )
    if settings.training_engine == "comfyui":
        from anime_studio.engines.comfyui.factory import pool_for
        from anime_studio.engines.training.comfyui import ComfyTrainingEngine

        return ComfyTrainingEngine(pool_for(settings))
    raise _unknown("training", settings.training_engine)


def _unknown(kind: str, name: str) -> ValueError:
    return ValueError(f"unknown {kind} engine {name!r}; see the README's engine table for the choices")
