"""The one rule for untrusted JSON: no NUL characters, bounded nesting, bounded size.

Used on whole request bodies (``common.hygiene``) and on free-form JSON fields (``common.types``),
so a hostile document is refused with 422 before recursion in a validator, a serialiser or
PostgreSQL can fail on it.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 64
MAX_NODES = 100_000
NUL = "\x00"


class JsonRejected(ValueError):
    """The document breaks one of the rules; the message names which, for the 422 body."""


def check(value: Any, *, max_depth: int = MAX_DEPTH, max_nodes: int = MAX_NODES) -> None:
    """Walk ``value`` without recursion; raise ``JsonRejected`` on NUL, too deep or too many nodes."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    nodes = 0
    while stack:
        item, depth = stack.pop()
        nodes += 1
        if nodes > max_nodes:
            raise JsonRejected(f"JSON has more than {max_nodes} values")
        if isinstance(item, str):
            if NUL in item:
                raise JsonRejected("text must not contain NUL characters")
        elif isinstance(item, dict | list):
            if depth > max_depth:
                raise JsonRejected(f"JSON is nested deeper than {max_depth} levels")
            if isinstance(item, dict):
                for key, child in item.items():
                    if NUL in str(key):
                        raise JsonRejected("text must not contain NUL characters")
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
