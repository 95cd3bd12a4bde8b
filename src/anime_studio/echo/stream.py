"""The answer stream: retrieved sources first, then the answer in pieces, then the stored message with its actions."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

from anime_studio.echo import service
from anime_studio.echo.models import EchoMessage
from anime_studio.echo.schemas import ActionRead, MessageRead
from anime_studio.errors import DomainError, NotFound
from anime_studio.memory.schemas import Citation
from anime_studio.runtime import Runtime

log = logging.getLogger(__name__)
PIECE = 48  # characters per delta event
SETTLE_SECONDS = 2.0


def frame(name: str, data: Any) -> str:
    return f"event: {name}\ndata: {json.dumps(data)}\n\n"


def pieces(text: str) -> list[str]:
    """Word-aligned pieces of about ``PIECE`` characters (joined, they give ``text`` back exactly)."""
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + PIECE)
        space = text.rfind(" ", start + 1, end) if end < len(text) else -1
        end = space + 1 if space > start else end
        out.append(text[start:end])
        start = end
    return out


async def answer_events(runtime: Runtime, conversation_id: int, question_id: int) -> AsyncIterator[str]:
    """Server-Sent Events of one answer; a failure becomes an ``error`` event (the response has already begun)."""
    indexer = runtime.memory
    if indexer is not None:
        # An edit made just before the question should be part of the answer.
        with contextlib.suppress(TimeoutError):
            await indexer.settled(SETTLE_SECONDS)
    try:
        async with runtime.db.transaction() as session:
            conversation = await service.get(session=session, conversation_id=conversation_id)
            question = await session.get(EchoMessage, question_id)
            if question is None:
                raise NotFound("the question is gone")
            engine = indexer.engine if indexer else runtime.engines.embeddings
            store = indexer.store if indexer else None
            if store is None:
                from anime_studio.memory.store import build_store

                store = build_store(runtime.settings)
            hits = await service.retrieve(
                session=session,
                project_id=conversation.project_id,
                question=question.content,
                engine=engine,
                store=store,
            )
            yield frame("sources", [Citation(**h.model_dump()).model_dump() for h in hits])
            result, message, actions = await service.respond(
                session=session, conversation=conversation, question=question, hits=hits, llm=runtime.engines.llm
            )
            stored = MessageRead.model_validate(message).model_copy(
                update={"actions": [ActionRead.model_validate(a) for a in actions]}
            )
        for piece in pieces(result.text):
            yield frame("delta", {"text": piece})
        yield frame("message", stored.model_dump(mode="json"))
    except DomainError as error:
        yield frame("error", {"detail": str(error)})
    except Exception:
        log.exception("Echo Brain failed to answer question %d", question_id)
        yield frame("error", {"detail": "Echo Brain failed to answer; see the server log"})
