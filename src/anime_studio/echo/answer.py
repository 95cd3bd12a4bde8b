"""Answers grounded in project memory: a language model cites numbered facts; without one, the facts are quoted."""

from __future__ import annotations

import re
from dataclasses import dataclass

from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import ChatMessage, LlmEngine
from anime_studio.errors import BadGateway
from anime_studio.memory.schemas import Citation, Hit

MIN_SCORE = 0.05  # below this a fact shares too little with the question to be worth quoting
QUOTE_CHARS = 600
HISTORY = 8  # earlier messages a language model sees

SYSTEM = (
    "You are Echo Brain, the assistant of an anime production studio. Answer the user's question about their "
    "project using only the numbered project facts below. Cite every fact you use as [n]. If the facts do not "
    "answer the question, say so plainly; never invent characters, events or details.\n\nProject facts:\n"
)


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    engine: str


def _citation(hit: Hit) -> Citation:
    return Citation(kind=hit.kind, id=hit.id, title=hit.title, link=hit.link)


def quoted(hits: list[Hit]) -> Answer:
    """The embedded answer: what the project says, quoted with its sources, and nothing else."""
    useful = [hit for hit in hits if hit.score >= MIN_SCORE]
    if not useful:
        return Answer("The project does not say anything about that yet.", [], "memory")
    lines = ["Here is what the project says (quoted from project memory; no language model is configured):", ""]
    for number, hit in enumerate(useful, start=1):
        text = hit.text if len(hit.text) <= QUOTE_CHARS else hit.text[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
        lines.append(f"[{number}] {hit.title}:")
        lines += [f"> {line}" for line in text.splitlines()]
        lines.append("")
    return Answer("\n".join(lines).rstrip(), [_citation(h) for h in useful], "memory")


async def generated(llm: LlmEngine, question: str, history: list[ChatMessage], hits: list[Hit]) -> Answer:
    """A language model's answer from the retrieved facts; it cites those it referred to (all, if it named none)."""
    facts = "\n\n".join(f"[{n}] {hit.title}\n{hit.text}" for n, hit in enumerate(hits, start=1)) or "(none)"
    messages = [ChatMessage(role="system", content=SYSTEM + facts), *history[-HISTORY:]]
    messages.append(ChatMessage(role="user", content=question))
    try:
        text = await llm.chat(messages)
    except EngineError as error:
        raise BadGateway(f"the language engine {llm.name!r} failed: {error}") from error
    named = {int(n) for n in re.findall(r"\[(\d{1,2})\]", text)}
    used = [hit for n, hit in enumerate(hits, start=1) if n in named] or hits
    return Answer(text.strip(), [_citation(h) for h in used], llm.name)


async def answer(llm: LlmEngine, question: str, history: list[ChatMessage], hits: list[Hit]) -> Answer:
    """The embedded rules engine has no language model: it quotes; real engines write an answer."""
    if llm.name == "rules":
        return quoted(hits)
    return await generated(llm, question, history, hits)
