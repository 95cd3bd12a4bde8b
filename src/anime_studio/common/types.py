"""Constrained field types: bounded strings without NUL bytes, database-safe ids, slugs."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from anime_studio.common import jsontext

MAX_DB_INT = 2_147_483_647
SLUG_PATTERN = r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$"


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("text must not contain NUL characters")
    return value


def _bounded_json(value: Any) -> Any:
    jsontext.check(value)
    return value


Name = Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), AfterValidator(_no_nul)]
ShortText = Annotated[str, StringConstraints(max_length=200, strip_whitespace=True), AfterValidator(_no_nul)]
Text = Annotated[str, StringConstraints(max_length=20_000), AfterValidator(_no_nul)]
LongText = Annotated[str, StringConstraints(max_length=500_000), AfterValidator(_no_nul)]
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN)]
DbId = Annotated[int, Field(ge=1, le=MAX_DB_INT)]
JsonObject = Annotated[dict[str, Any], BeforeValidator(_bounded_json)]
JsonList = Annotated[list[Any], BeforeValidator(_bounded_json)]
TagList = Annotated[
    list[Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]],
    Field(max_length=200),
    AfterValidator(_bounded_json),
]


def slugify(value: str, *, fallback: str = "item") -> str:
    """ASCII, lowercase, hyphen-separated, at most 64 characters; never empty, never a path."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:64].strip("-")
    return slug or fallback
