"""Every table of every domain, imported so that ``metadata`` is complete (Alembic, tests)."""

from anime_studio.assets.models import Asset
from anime_studio.auth.models import ApiToken, LoginThrottle, User, UserSession
from anime_studio.characters.models import Character
from anime_studio.db.base import Base
from anime_studio.episodes.models import Episode, EpisodeScene
from anime_studio.jobs.gpu.models import GpuRender
from anime_studio.jobs.models import Run
from anime_studio.projects.models import Project
from anime_studio.quality.models import QualityGate
from anime_studio.review.models import Comment, InboxItem, ReviewSettings, ReviewState, StatusChange, Version
from anime_studio.scenes.models import Scene, Shot
from anime_studio.story.models import Storyline, WorldSettings
from anime_studio.styles.models import GenerationStyle
from anime_studio.workflow_templates.models import WorkflowTemplate

metadata = Base.metadata

__all__ = [
    "ApiToken",
    "Asset",
    "Character",
    "Comment",
    "Episode",
    "EpisodeScene",
    "GenerationStyle",
    "GpuRender",
    "InboxItem",
    "LoginThrottle",
    "Project",
    "QualityGate",
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
    "WorkflowTemplate",
    "WorldSettings",
    "metadata",
]
