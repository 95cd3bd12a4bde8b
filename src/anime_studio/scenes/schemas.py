"""Scene and shot API models."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, Name, ShortText, Text

ShotType = Literal["establishing", "wide", "medium", "close-up", "extreme_close-up", "action"]
CameraAngle = Literal["eye_level", "low_angle", "high_angle", "birds_eye", "dutch", "over_the_shoulder", "pov"]
Transition = Literal["dissolve", "fade", "wipe", "cut"]
Continuity = Literal["chain", "keyframes"]
TimeOfDay = Annotated[str, StringConstraints(max_length=32, strip_whitespace=True)]
RelativePath = Annotated[str, StringConstraints(max_length=500, pattern=r"^[^\x00]*$")]
ShotDuration = Annotated[float, Field(ge=0.5, le=60)]
MAX_SHOT_CHARACTERS = 12
CharacterSlug = Annotated[str, StringConstraints(min_length=1, max_length=64, strip_whitespace=True)]


class SceneFields(RequestModel):
    description: Text | None = None
    location: ShortText | None = None
    time_of_day: TimeOfDay | None = None
    weather: ShortText | None = None
    mood: ShortText | None = None
    continuity: Continuity | None = Field(
        default=None,
        description="chain: each shot without its own source image starts from the previous shot's last frame; "
        "keyframes: each such shot starts from its own rendered keyframe (animatics)",
    )


class SceneCreate(SceneFields):
    project_id: DbId
    title: Name


class SceneUpdate(SceneFields):
    title: Name | None = None
    scene_number: int | None = Field(default=None, ge=1, le=100_000)


class ShotFields(RequestModel):
    source_asset_id: DbId | None = Field(default=None, description="an image asset of the project as first frame")
    source_image_path: RelativePath | None = Field(default=None, description="or a path under the media root")
    motion_prompt: Text | None = None
    shot_type: ShotType | None = None
    camera_angle: CameraAngle | None = None
    duration: ShotDuration | None = None
    dialogue_text: Text | None = None
    dialogue_character_id: DbId | None = None
    characters: list[DbId] | None = Field(
        default=None, max_length=MAX_SHOT_CHARACTERS, description="characters in frame"
    )
    transition_type: Transition | None = None
    transition_duration: float | None = Field(default=None, ge=0, le=5)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)
    steps: int | None = Field(default=None, ge=1, le=200)


class ShotCreate(ShotFields):
    position: int | None = Field(default=None, ge=1, le=10_000, description="insert here (default: at the end)")


class ShotUpdate(ShotFields):
    clear_source_image: bool = False


class ShotRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    scene_id: int
    position: int
    source_image_path: str | None
    source_asset_id: int | None
    motion_prompt: str
    shot_type: str
    camera_angle: str
    duration: float
    dialogue_text: str
    dialogue_character_id: int | None
    characters: list[int]
    transition_type: str
    transition_duration: float
    status: str
    output_path: str | None
    last_frame_path: str | None
    keyframe_path: str | None
    quality_score: float | None
    attempts: int
    seed: int | None
    steps: int | None
    error: str | None
    generation_time: float | None
    generated_at: datetime | None


class SceneRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    scene_number: int
    title: str
    description: str
    location: str
    time_of_day: str
    weather: str
    mood: str
    continuity: str
    status: str
    output_path: str | None
    subtitles_path: str | None
    dialogue_audio_path: str | None
    music_path: str | None
    music: dict[str, Any]
    duration: float | None
    generation: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    total_shots: int = 0
    completed_shots: int = 0


class SceneDetail(SceneRead):
    shots: list[ShotRead]


class ShotOrder(RequestModel):
    shot_ids: list[DbId] = Field(min_length=1, max_length=10_000)


class MusicSettings(RequestModel):
    fade_in: float = Field(default=1.0, ge=0, le=30)
    fade_out: float = Field(default=2.0, ge=0, le=30)
    start_offset: float = Field(default=0.0, ge=0, le=3600)
    volume: float = Field(default=0.3, ge=0, le=1, description="music level under dialogue (spec: 30 %)")


class AttachMusic(MusicSettings):
    asset_id: DbId


class ShotStatus(BaseModel):
    id: int
    position: int
    status: str
    quality_score: float | None
    attempts: int
    error: str | None
    generation_time: float | None


class SceneStatus(BaseModel):
    scene_id: int
    status: str
    total_shots: int
    completed_shots: int
    duration: float | None
    output_path: str | None
    run_id: int | None
    run_status: str | None
    progress: float
    message: str
    shots: list[ShotStatus]


class PlannedShot(RequestModel):
    """A shot of a story plan: the rules of ``ShotFields``, with characters named by slug."""

    shot_type: ShotType = "medium"
    camera_angle: CameraAngle = "eye_level"
    description: Text = ""
    motion_prompt: Text = ""
    duration: ShotDuration = 3.0
    characters: list[CharacterSlug] = Field(default_factory=list, max_length=MAX_SHOT_CHARACTERS)
    dialogue_character: CharacterSlug | None = Field(default=None, description="slug of the speaker")
    dialogue_text: Text = ""


class PlannedScene(RequestModel):
    """A scene of a story plan: the rules of ``SceneCreate``; what a preview shows and a save stores."""

    title: Name
    description: Text = ""
    location: ShortText = ""
    time_of_day: TimeOfDay = ""
    weather: ShortText = ""
    mood: ShortText = ""
    shots: list[PlannedShot] = Field(default_factory=list, max_length=200)


class StoryPlans(RequestModel):
    """Plans from a preview, to save exactly what the person saw (instead of asking the engine again)."""

    scenes: list[PlannedScene] = Field(min_length=1, max_length=50)


class StoryScenes(BaseModel):
    project_id: int
    count: int
    created: bool
    scenes: list[dict[str, Any]]
