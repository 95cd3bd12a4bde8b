"""``RequestModel``: the base of every request body — unknown fields and coerced scalars are refused.

Pydantic's defaults hide a client's mistakes: a misspelt field (``{"active": false}`` where the
field is ``is_active``) is silently dropped, and ``false`` becomes ``0.0`` for a number or ``"yes"``
becomes ``True``. Bodies are JSON, which has real numbers and booleans, so requiring them costs a
correct client nothing. Models meant to stay open say so with ``model_config``.
"""

from __future__ import annotations

import types
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError


def _scalar_kinds(annotation: Any) -> set[type]:
    """The plain scalar types a field accepts (``float | None`` → {float}); empty for anything else."""
    if get_origin(annotation) in (Union, types.UnionType):
        return set().union(*(_scalar_kinds(arg) for arg in get_args(annotation)))
    return {annotation} if annotation in (bool, int, float) else set()


def _exact(value: Any, kinds: set[type]) -> bool:
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, int):
        return bool(kinds & {int, float})
    if isinstance(value, float):
        return float in kinds or (int in kinds and value.is_integer())
    return value is None or not kinds


_KIND_NAMES = {bool: "boolean", int: "integer", float: "number"}


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_scalar_coercion(cls, value: Any, info: ValidationInfo) -> Any:
        field = cls.model_fields.get(info.field_name or "")
        kinds = _scalar_kinds(field.annotation) if field is not None else set()
        if kinds and not _exact(value, kinds):
            names = " or ".join(sorted(_KIND_NAMES[k] for k in kinds))
            raise PydanticCustomError("strict_type", "Input should be a JSON {expected}", {"expected": names})
        return value
