"""Conversations, questions and confirmations of Echo Brain (the caller owns the transaction)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.echo import actions as action_rules
from anime_studio.echo.answer import Answer, answer
from anime_studio.echo.models import EchoAction, EchoConversation, EchoMessage
from anime_studio.echo.schemas import ActionRead, ConversationDetail, ConversationRead, MessageRead
from anime_studio.engines.embeddings.base import EmbeddingEngine
from anime_studio.engines.llm.base import ChatMessage, LlmEngine
from anime_studio.errors import Conflict, NotFound
from anime_studio.memory import service as memory
from anime_studio.memory.schemas import Hit
from anime_studio.memory.store import VectorStore
from anime_studio.projects import service as projects

RETRIEVE = 6
TITLE_CHARS = 80


async def create(*, session: AsyncSession, project_id: int, title: str, user_id: int) -> EchoConversation:
    await projects.get(session=session, project_id=project_id)
    row = EchoConversation(project_id=project_id, title=title, created_by=user_id)
    session.add(row)
    await session.flush()
    return row


async def list_for_project(*, session: AsyncSession, project_id: int) -> list[EchoConversation]:
    await projects.get(session=session, project_id=project_id)
    query = select(EchoConversation).where(EchoConversation.project_id == project_id)
    return list(await session.scalars(query.order_by(EchoConversation.updated_at.desc(), EchoConversation.id.desc())))


async def get(*, session: AsyncSession, conversation_id: int) -> EchoConversation:
    row = await session.get(EchoConversation, conversation_id)
    if row is None:
        raise NotFound(f"conversation {conversation_id} not found")
    return row


async def detail(*, session: AsyncSession, conversation: EchoConversation) -> ConversationDetail:
    messages = list(
        await session.scalars(
            select(EchoMessage).where(EchoMessage.conversation_id == conversation.id).order_by(EchoMessage.id)
        )
    )
    ids = [m.id for m in messages]
    found = await session.scalars(select(EchoAction).where(EchoAction.message_id.in_(ids)).order_by(EchoAction.id))
    by_message: dict[int, list[ActionRead]] = {}
    for action in found:
        by_message.setdefault(action.message_id, []).append(ActionRead.model_validate(action))
    return ConversationDetail(
        **ConversationRead.model_validate(conversation).model_dump(),
        messages=[
            MessageRead.model_validate(m).model_copy(update={"actions": by_message.get(m.id, [])}) for m in messages
        ],
    )


async def add_question(*, session: AsyncSession, conversation: EchoConversation, question: str) -> EchoMessage:
    """Store the user's question (and name an untitled conversation after it)."""
    if not conversation.title:
        conversation.title = question[:TITLE_CHARS]
    message = EchoMessage(conversation_id=conversation.id, role="user", content=question, citations=[])
    session.add(message)
    await session.flush()
    return message


async def history(*, session: AsyncSession, conversation_id: int, before: int) -> list[ChatMessage]:
    query = select(EchoMessage).where(EchoMessage.conversation_id == conversation_id, EchoMessage.id < before)
    rows = await session.scalars(query.order_by(EchoMessage.id))
    return [ChatMessage(role="user" if m.role == "user" else "assistant", content=m.content) for m in rows]


async def retrieve(
    *, session: AsyncSession, project_id: int, question: str, engine: EmbeddingEngine, store: VectorStore
) -> list[Hit]:
    return await memory.search(
        session=session, project_id=project_id, query=question, engine=engine, store=store, limit=RETRIEVE
    )


async def respond(
    *,
    session: AsyncSession,
    conversation: EchoConversation,
    question: EchoMessage,
    hits: list[Hit],
    llm: LlmEngine,
) -> tuple[Answer, EchoMessage, list[EchoAction]]:
    """Answer the question from ``hits``, store the answer and the actions it proposes (not yet applied)."""
    earlier = await history(session=session, conversation_id=conversation.id, before=question.id)
    result = await answer(llm, question.content, earlier, hits)
    message = EchoMessage(
        conversation_id=conversation.id,
        role="assistant",
        content=result.text,
        citations=[c.model_dump() for c in result.citations],
        engine=result.engine,
    )
    session.add(message)
    await session.flush()
    proposed = await action_rules.propose(
        session=session, llm=llm, project_id=conversation.project_id, question=question.content
    )
    rows = [
        EchoAction(
            message_id=message.id, project_id=conversation.project_id, kind=kind, summary=summary, payload=payload
        )
        for kind, summary, payload in proposed
    ]
    session.add_all(rows)
    await session.flush()
    return result, message, rows


async def get_action(*, session: AsyncSession, action_id: int) -> EchoAction:
    row = await session.get(EchoAction, action_id, with_for_update=True)
    if row is None:
        raise NotFound(f"action {action_id} not found")
    return row


async def decide(*, session: AsyncSession, action: EchoAction, confirm: bool, user_id: int) -> EchoAction:
    """Apply a proposed action (confirm) or set it aside (decline); each action is decided once."""
    if action.status != "proposed":
        raise Conflict(f"action {action.id} was already {action.status}")
    if confirm:
        action.result = await action_rules.apply(session=session, action=action)
    action.status = "applied" if confirm else "declined"
    action.decided_by = user_id
    await session.flush()
    return action
