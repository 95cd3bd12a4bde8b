"""JSON-schema helpers for the fake model servers: generate a conforming instance, validate, strict-mode rules."""

from __future__ import annotations

import random
import re
from typing import Any

_WORDS = [
    "quiet",
    "harbour",
    "lantern",
    "rain",
    "neon",
    "shrine",
    "forest",
    "rooftop",
    "crimson",
    "silver",
    "dawn",
    "wind",
    "echo",
    "ribbon",
]
_RANGE = re.compile(r"(-?\d+(?:\.\d+)?)\D{0,12}?\bto\b\D{0,3}?(-?\d+(?:\.\d+)?)")


def generate(schema: dict[str, Any], rng: random.Random) -> Any:
    """A deterministic (for a given ``rng``) instance that validates against ``schema``."""
    if "enum" in schema:
        return rng.choice(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {key: generate(sub, rng) for key, sub in properties.items()}
    if kind == "array":
        low, high = schema.get("minItems", 1), schema.get("maxItems", 3)
        return [generate(schema.get("items", {"type": "string"}), rng) for _ in range(rng.randint(low, max(low, high)))]
    if kind in ("number", "integer"):
        low, high = _bounds(schema)
        value = rng.uniform(low, high)
        return round(value) if kind == "integer" else round(value, 1)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "null":
        return None
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 5)))


def _bounds(schema: dict[str, Any]) -> tuple[float, float]:
    if "minimum" in schema or "maximum" in schema:
        return float(schema.get("minimum", 0)), float(schema.get("maximum", 10))
    match = _RANGE.search(str(schema.get("description", "")))
    return (float(match.group(1)), float(match.group(2))) if match else (0.0, 10.0)


def validate(instance: Any, schema: dict[str, Any], path: str = "$") -> list[str]:
    """Errors of ``instance`` against the subset of JSON schema the studio uses (empty when valid)."""
    if "enum" in schema and instance not in schema["enum"]:
        return [f"{path}: {instance!r} not in enum"]
    kind = schema.get("type")
    kinds = kind if isinstance(kind, list) else [kind] if kind else []
    if kinds and not any(_is_type(instance, k) for k in kinds):
        return [f"{path}: expected {kind}, got {type(instance).__name__}"]
    errors: list[str] = []
    if isinstance(instance, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: missing {key}" for key in schema.get("required", []) if key not in instance]
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: unexpected {key}" for key in instance if key not in properties]
        for key, value in instance.items():
            if key in properties:
                errors += validate(value, properties[key], f"{path}.{key}")
    if isinstance(instance, list) and "items" in schema:
        for index, item in enumerate(instance):
            errors += validate(item, schema["items"], f"{path}[{index}]")
    return errors


def _is_type(value: Any, kind: str) -> bool:
    checks = {
        "object": lambda v: isinstance(v, dict),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
        "null": lambda v: v is None,
    }
    return checks.get(kind, lambda v: True)(value)


def strict_problem(schema: dict[str, Any], context: str = "()") -> str | None:
    """Why OpenAI strict mode would refuse ``schema`` (root object; every object closed and fully required)."""
    if context == "()" and schema.get("type") != "object":
        return f"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{schema.get('type')}\"'."
    if schema.get("type") == "object":
        properties = schema.get("properties", {})
        if schema.get("additionalProperties") is not False:
            return f"In context={context}, 'additionalProperties' is required to be supplied and to be false."
        missing = [key for key in properties if key not in schema.get("required", [])]
        if missing:
            return (
                f"In context={context}, 'required' is required to be supplied and to be an array including "
                f"every key in properties. Missing '{missing[0]}'."
            )
        for key, sub in properties.items():
            problem = strict_problem(sub, f"('properties', '{key}')")
            if problem:
                return problem
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return strict_problem(schema["items"], f"{context[:-1]}, 'items')" if context != "()" else "('items')")
    return None
