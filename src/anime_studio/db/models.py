"""Every table of every domain, imported so that ``metadata`` is complete (Alembic, tests)."""

from anime_studio.assets.models import Asset
from anime_studio.auth.models import ApiToken, LoginThrottle, User, UserSession
from anime_studio.autonomy.models import ReplenishmentBatch, ReplenishmentCharacter, ReplenishmentSettings
from anime_studio.characters.models import Character
from anime_studio.correction.models import Correction, CorrectionSetting
from anime_studio.db.base import Base
from anime_studio.echo.models import EchoAction, EchoConversation, EchoMessage
from anime_studio.episodes.models import Episode, EpisodeScene
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.jobs.models import Run
from anime_studio.learning.models import DriftWarning
from anime_studio.lora.models import LoraEpoch, LoraTraining, LoraVersion
from anime_studio.memory.models import MemoryItem
from anime_studio.music.models import MusicTrack
from anime_studio.projects.models import Project
from anime_studio.quality.models import QualityGate
from anime_studio.review.models import Comment, InboxItem, ReviewSettings, ReviewState, StatusChange, Version
from anime_studio.scenes.models import Scene, Shot
from anime_studio.story.models import Storyline, WorldSettings
from anime_studio.styles.models import GenerationStyle
from anime_studio.voices.models import VoiceSample
from anime_studio.workflow_templates.models import WorkflowTemplate

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Asset",
    "Character",
    "Comment",
    "Correction",
    "CorrectionSetting",
    "DriftWarning",
    "EchoAction",
    "EchoConversation",
    "EchoMessage",
    "Episode",
    "EpisodeScene",
    "GenerationStyle",
    "GpuRender",
    "InboxItem",
    "LoginThrottle",
    "LoraEpoch",
    "LoraTraining",
    "LoraVersion",
    "MemoryItem",
    "MusicTrack",
    "Project",
    "QualityGate",
    "ReplenishmentBatch",
    "ReplenishmentCharacter",
    "ReplenishmentSettings",
    "ReviewSettings",
    "ReviewState",
    "Run",
    "Scene",
    "Shot",
    "StatusChange",
    "Storyline",
    "User",
    "UserSession",
    "Version",
    "VoiceSample",
    "WorkflowTemplate",
    "WorldSettings",
    "metadata",
]
