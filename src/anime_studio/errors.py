"""Domain errors raised by services, and the handlers that turn every failure into JSON ``{"detail": ...}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

from anime_studio.media.images import ImageRejected, ImageTooLarge

log = logging.getLogger(__name__)


class DomainError(Exception):
    """Base of every error a service raises on purpose; ``status`` is the HTTP status a router maps it to."""

    status = 400

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class NotFound(DomainError):
    status = 404


class Conflict(DomainError):
    status = 409


class Invalid(DomainError):
    status = 422


class Forbidden(DomainError):
    status = 403


class Unauthorized(DomainError):
    status = 401


class PayloadTooLarge(DomainError):
    status = 413


class BadGateway(DomainError):
    """An engine answered, but with something unusable (for example a malformed story breakdown)."""

    status = 502


class Unavailable(DomainError):
    """An engine or external service the request needs is not reachable right now."""

    status = 503


def _json(status: int, detail: Any, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": jsonable_encoder(detail)}, status_code=status, headers=headers)


async def _domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = {"WWW-Authenticate": "Bearer"} if isinstance(exc, Unauthorized) else None
    return _json(exc.status, exc.detail, headers)


async def _db_error(_: Request, exc: Exception) -> JSONResponse:
    """Safety net: constraint and data errors the services did not pre-check are the client's fault."""
    assert isinstance(exc, DBAPIError)
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    if isinstance(exc, IntegrityError) or sqlstate.startswith("23"):
        diag = getattr(getattr(exc, "orig", None), "diag", None)
        constraint = getattr(diag, "constraint_name", None)
        return _json(409, f"conflicts with existing data ({constraint or 'constraint'})")
    if sqlstate.startswith("22"):
        return _json(422, "a value is out of range or malformed for its column")
    log.exception("database error", exc_info=exc)
    return _json(500, "internal database error")


async def _image_rejected(_: Request, exc: Exception) -> JSONResponse:
    """An image from the request (or one a request reads) that cannot or may not be decoded."""
    assert isinstance(exc, ImageRejected)
    return _json(413 if isinstance(exc, ImageTooLarge) else 422, str(exc))


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [{k: v for k, v in err.items() if k in ("loc", "msg", "type")} for err in exc.errors()]
    return _json(422, errors)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    return _json(exc.status_code, exc.detail, dict(exc.headers) if exc.headers else None)


def _declare_error_shapes(app: FastAPI) -> None:
    """422 ``detail`` is a list of field issues (request validation) or one sentence (a domain rule).

    Domain rules such as "write a storyline first" belong to no single field, so forcing them into
    a list would invent a location; declaring both shapes keeps the schema true for every 422.
    """
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            error = schema.get("components", {}).get("schemas", {}).get("HTTPValidationError")
            if error is not None:
                listed = error["properties"]["detail"]
                error["properties"]["detail"] = {"title": "Detail", "anyOf": [{"type": "string"}, listed]}
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install_error_handlers(app: FastAPI) -> None:
    _declare_error_shapes(app)
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(DBAPIError, _db_error)
    app.add_exception_handler(ImageRejected, _image_rejected)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
