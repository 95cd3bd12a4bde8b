"""Walk every route of the app: 401 without credentials, 403 for a role that may not act."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from anime_studio.app import api_router, create_app
from anime_studio.auth.models import Role
from anime_studio.deps import authenticated
from tests.factories import Studio

OPEN_ROUTES = {("GET", "/api/lora/health"), ("POST", "/api/lora/auth/login")}


def _required_role(dependant: Dependant) -> Role | str | None:
    """The role a route's dependency tree demands; "any" for any signed-in user; None if open."""
    found: Role | str | None = None
    for dep in dependant.dependencies:
        role = getattr(dep.call, "required_role", None)
        if role is not None:
            return role  # type: ignore[no-any-return]
        if dep.call is authenticated:
            found = "any"
        deeper = _required_role(dep)
        if deeper is not None and deeper != "any":
            return deeper
        found = found or deeper
    return found


def _api_routes(routes: list[Any], prefix: str) -> list[tuple[str, APIRoute]]:
    """Flatten routers (FastAPI keeps included routers nested) into (full path, route)."""
    found = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif hasattr(route, "include_context"):
            found += _api_routes(route.original_router.routes, route.include_context.prefix)
    return found


def _routes() -> list[tuple[str, str, Any]]:
    return [
        (method, path, _required_role(route.dependant))
        for path, route in _api_routes(api_router().routes, "/api/lora")
        for method in sorted(route.methods - {"HEAD"})
    ]


ROUTES = _routes()


def test_the_walk_sees_every_documented_route() -> None:
    app: FastAPI = create_app()
    documented = {(m.upper(), p) for p, ops in app.openapi()["paths"].items() for m in ops if m != "head"}
    assert documented == {(m, p) for m, p, _ in ROUTES}


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


def test_every_route_is_protected_or_deliberately_open() -> None:
    unprotected = {(m, p) for m, p, role in ROUTES if role is None}
    assert unprotected == OPEN_ROUTES
    assert len(ROUTES) > 20


@pytest.mark.parametrize(("method", "path", "role"), [r for r in ROUTES if r[2] is not None])
async def test_route_refuses_anonymous_callers(client: Any, method: str, path: str, role: Any) -> None:
    response = await client.request(method, _url(path), json={} if method != "GET" else None)
    assert response.status_code == 401, (method, path, response.text)
    assert "detail" in response.json()


@pytest.mark.parametrize(("method", "path", "role"), [r for r in ROUTES if isinstance(r[2], Role)])
async def test_route_refuses_roles_below_its_requirement(studio: Studio, method: str, path: str, role: Role) -> None:
    for user_role, user in ((Role.reviewer, studio.reviewer), (Role.editor, studio.editor)):
        if user_role.rank >= role.rank:
            continue
        response = await user.request(method, _url(path), json={} if method != "GET" else None)
        assert response.status_code == 403, (user_role, method, path, response.text)


# Review (issue 14): reviewers comment and approve, editors regenerate and restore, admins purge and set the gate.
REVIEW_ROLES = {
    ("POST", "/api/lora/review/{subject_type}/{subject_id}/status"): Role.reviewer,
    ("POST", "/api/lora/review/versions/{version_id}/comments"): Role.reviewer,
    ("POST", "/api/lora/review/shots/{shot_id}/regenerate"): Role.editor,
    ("POST", "/api/lora/review/versions/{version_id}/restore"): Role.editor,
    ("POST", "/api/lora/review/projects/{project_id}/purge"): Role.admin,
    ("PUT", "/api/lora/review/projects/{project_id}/settings"): Role.admin,
}


def test_review_routes_demand_their_roles() -> None:
    roles = {(method, path): role for method, path, role in ROUTES}
    assert {key: roles.get(key) for key in REVIEW_ROLES} == REVIEW_ROLES


def test_no_route_lets_a_reviewer_regenerate_or_purge() -> None:
    risky = [(m, p, r) for m, p, r in ROUTES if m != "GET" and re.search(r"generate|purge|restore", p)]
    assert len(risky) >= 4
    assert all(isinstance(r, Role) and r.rank > Role.reviewer.rank for _, _, r in risky), risky
