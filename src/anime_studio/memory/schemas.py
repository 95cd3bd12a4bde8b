"""Memory's answers: a retrieved fact with its score and the link that opens its source."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class Citation(BaseModel):
    """A project item an answer used; ``link.route`` + ``link.params`` open it in the UI."""

    kind: str
    id: int
    title: str
    link: dict[str, Any]


class Hit(Citation):
    text: str
    score: float


class IndexReport(BaseModel):
    project_id: int
    items: int
    embedded: int
    engine: str
    dimensions: int
    store: str
