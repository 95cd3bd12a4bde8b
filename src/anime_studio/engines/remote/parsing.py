"""Tolerant readers for what language models produce: JSON in code fences, numbers as strings, yes/no."""

from __future__ import annotations

import json
import math
import re
from typing import Any

_FENCE = re.compile(r"```[a-zA-Z0-9_-]*\s*(.*?)```", re.DOTALL)
_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
_TRUE = {"true", "yes", "y", "1", "solo", "present", "pass", "ok", "correct"}
_FALSE = {"false", "no", "n", "0", "absent", "fail", "missing", "incorrect", "none"}


def extract_json(text: str) -> Any:
    """Parse the JSON a model wrote, even wrapped in fences or prose; ``ValueError`` if there is none."""
    candidates = [text.strip(), *(m.strip() for m in _FENCE.findall(text))]
    candidates += [_balanced(text, "{", "}"), _balanced(text, "[", "]")]
    for candidate in candidates:
        if not candidate:
            continue
        for variant in (candidate, _drop_trailing_commas(candidate)):
            try:
                return json.loads(variant)
            except ValueError:
                continue
    raise ValueError("no JSON value found in the model's answer")


def _balanced(text: str, opener: str, closer: str) -> str:
    """The first ``opener…closer`` span with balanced brackets (strings respected)."""
    start = text.find(opener)
    if start < 0:
        return ""
    depth, in_string, escaped = 0, False, False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            escaped = not escaped and char == "\\"
            if char == '"' and not escaped:
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return text[start : index + 1]
    return ""


def _drop_trailing_commas(text: str) -> str:
    return re.sub(r",\s*([}\]])", r"\1", text)


def as_float(value: Any, default: float = 0.0) -> float:
    """A number from ``7``, ``"7.5"``, ``"8/10"``, ``"7,5"``; ``default`` when there is none."""
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else default
    if isinstance(value, str):
        match = _NUMBER.search(value)
        if match:
            return float(match.group().replace(",", "."))
    return default


def clamp(value: float, low: float, high: float) -> float:
    """``value`` limited to ``[low, high]``."""
    return max(low, min(high, value))


def as_bool(value: Any, default: bool | None = None) -> bool | None:
    """A boolean from ``true``, ``"yes"``, ``1``…; ``default`` when the value says neither."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str):
        word = value.strip().lower().rstrip(".!")
        first = word.split()[0] if word.split() else ""
        if word in _TRUE or first in _TRUE:
            return True
        if word in _FALSE or first in _FALSE:
            return False
    return default
