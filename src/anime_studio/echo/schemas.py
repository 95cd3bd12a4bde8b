"""Echo Brain's requests and responses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from anime_studio.common.inputs import RequestModel
from anime_studio.common.types import DbId, ShortText
from anime_studio.memory.schemas import Citation

MAX_QUESTION = 8000
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_QUESTION)]
Prompt = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
PromptField = Literal["design", "motion", "extra"]


class ConversationCreate(RequestModel):
    project_id: DbId
    title: ShortText = ""


class ConversationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    project_id: int
    title: str
    created_at: datetime
    updated_at: datetime


class ActionRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    message_id: int
    kind: Literal["draft_scenes", "enhance_prompt", "add_common_error"]
    summary: str
    payload: dict[str, Any]
    status: Literal["proposed", "applied", "declined"]
    result: dict[str, Any]


class MessageRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    role: Literal["user", "assistant"]
    content: str
    citations: list[Citation]
    engine: str
    created_at: datetime
    actions: list[ActionRead] = Field(default_factory=list)


class ConversationDetail(ConversationRead):
    messages: list[MessageRead]


class AskRequest(RequestModel):
    question: Question


class DiffPart(BaseModel):
    op: Literal["keep", "add", "remove"]
    text: str


class EnhanceRequest(RequestModel):
    project_id: DbId
    field: PromptField = "design"
    prompt: Prompt
    character_id: DbId | None = None


class EnhanceResponse(BaseModel):
    original: str
    enhanced: str
    diff: list[DiffPart]
    engine: str
    left_to_style: list[str] = Field(description="terms the engine added that the project's style already supplies")
