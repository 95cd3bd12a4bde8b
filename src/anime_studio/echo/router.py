"""Echo Brain (the spec's ``echo_integration``): conversations, streamed answers, confirmations, prompt help."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request, status
from fastapi.responses import StreamingResponse

from anime_studio.deps import MAX_DB_INT, CurrentUser, EditorUser, EnginesDep, SessionDep
from anime_studio.echo import enhance, service
from anime_studio.echo.schemas import (
    ActionRead,
    AskRequest,
    ConversationCreate,
    ConversationDetail,
    ConversationRead,
    EnhanceRequest,
    EnhanceResponse,
)
from anime_studio.echo.stream import answer_events
from anime_studio.memory import service as memory
from anime_studio.memory.schemas import Hit, IndexReport
from anime_studio.memory.store import VectorStore, build_store
from anime_studio.projects import service as projects
from anime_studio.runtime import Runtime

router = APIRouter(prefix="/echo", tags=["echo"])
ProjectQuery = Annotated[int, Query(ge=1, le=MAX_DB_INT)]
RowId = Annotated[int, Path(ge=1, le=MAX_DB_INT)]


def _runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


def _store(runtime: Runtime) -> VectorStore:
    return runtime.memory.store if runtime.memory else build_store(runtime.settings)


@router.post("/conversations", response_model=ConversationRead, status_code=status.HTTP_201_CREATED)
async def create_conversation(body: ConversationCreate, user: CurrentUser, session: SessionDep) -> ConversationRead:
    """Start a conversation about a project."""
    row = await service.create(session=session, project_id=body.project_id, title=body.title, user_id=user.user.id)
    return ConversationRead.model_validate(row)


@router.get("/conversations", response_model=list[ConversationRead])
async def list_conversations(project_id: ProjectQuery, _: CurrentUser, session: SessionDep) -> list[ConversationRead]:
    """The project's conversations, most recent first."""
    rows = await service.list_for_project(session=session, project_id=project_id)
    return [ConversationRead.model_validate(row) for row in rows]


@router.get("/conversations/{conversation_id}", response_model=ConversationDetail)
async def get_conversation(conversation_id: RowId, _: CurrentUser, session: SessionDep) -> ConversationDetail:
    """A conversation with its messages, their citations and proposed actions."""
    return await service.detail(
        session=session, conversation=await service.get(session=session, conversation_id=conversation_id)
    )


@router.post("/conversations/{conversation_id}/ask", response_class=StreamingResponse)
async def ask(
    conversation_id: RowId, body: AskRequest, request: Request, _: CurrentUser, session: SessionDep
) -> StreamingResponse:
    """Ask Echo Brain; the answer streams as Server-Sent Events: sources, delta…, then message (or error)."""
    conversation = await service.get(session=session, conversation_id=conversation_id)
    question = await service.add_question(session=session, conversation=conversation, question=body.question)
    return StreamingResponse(
        answer_events(_runtime(request), conversation.id, question.id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


@router.post("/actions/{action_id}/confirm", response_model=ActionRead)
async def confirm_action(action_id: RowId, user: EditorUser, session: SessionDep) -> ActionRead:
    """Apply a change Echo Brain proposed."""
    action = await service.get_action(session=session, action_id=action_id)
    return ActionRead.model_validate(
        await service.decide(session=session, action=action, confirm=True, user_id=user.user.id)
    )


@router.post("/actions/{action_id}/decline", response_model=ActionRead)
async def decline_action(action_id: RowId, user: EditorUser, session: SessionDep) -> ActionRead:
    """Set a proposed change aside without applying it."""
    action = await service.get_action(session=session, action_id=action_id)
    return ActionRead.model_validate(
        await service.decide(session=session, action=action, confirm=False, user_id=user.user.id)
    )


@router.post("/enhance-prompt", response_model=EnhanceResponse)
async def enhance_prompt(
    body: EnhanceRequest, _: CurrentUser, session: SessionDep, engines: EnginesDep
) -> EnhanceResponse:
    """A richer prompt with its diff; terms the style or world settings already supply are left to them."""
    await projects.get(session=session, project_id=body.project_id)
    return await enhance.enhance(session=session, engine=engines.llm, project_id=body.project_id, prompt=body.prompt)


@router.get("/memory/search", response_model=list[Hit])
async def search_memory(
    project_id: ProjectQuery,
    q: Annotated[str, Query(min_length=1, max_length=2000)],
    request: Request,
    _: CurrentUser,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=50)] = 8,
) -> list[Hit]:
    """The project facts closest in meaning to ``q``."""
    await projects.get(session=session, project_id=project_id)
    runtime = _runtime(request)
    return await memory.search(
        session=session,
        project_id=project_id,
        query=q,
        engine=runtime.engines.embeddings,
        store=_store(runtime),
        limit=limit,
    )


@router.post("/memory/reindex", response_model=IndexReport)
async def reindex_memory(project_id: ProjectQuery, request: Request, _: EditorUser, session: SessionDep) -> IndexReport:
    """Index every fact of the project again (only changed facts are embedded)."""
    await projects.get(session=session, project_id=project_id)
    runtime = _runtime(request)
    return await memory.reindex_project(
        session=session, project_id=project_id, engine=runtime.engines.embeddings, store=_store(runtime)
    )
