"""``POST /api/lora/generate/{character_id}``: images or a video of a character, as a run."""

from __future__ import annotations

from fastapi import APIRouter, status

from anime_studio.deps import EditorUser, ItemId, SessionDep
from anime_studio.generation import service
from anime_studio.generation.schemas import GenerateRequest
from anime_studio.jobs.schemas import RunRead

router = APIRouter(tags=["generation"])


@router.post("/generate/{character_id}", response_model=RunRead, status_code=status.HTTP_202_ACCEPTED)
async def generate(character_id: ItemId, body: GenerateRequest, principal: EditorUser, session: SessionDep) -> RunRead:
    """Generate images (reviewed and auto-triaged as they land) or a video; watch the run over SSE."""
    run = await service.start(session=session, character_id=character_id, body=body, user_id=principal.user.id)
    return RunRead.model_validate(run)
