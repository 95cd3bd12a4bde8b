"""One rule for hostile input on every operation: NUL characters, deep JSON, unknown fields, coerced scalars."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from anime_studio.app import create_app
from anime_studio.config import Settings
from tests.factories import API, Studio, create_project


def _nested(levels: int) -> object:
    document: object = "leaf"
    for _ in range(levels):
        document = {"a": document}
    return document


async def test_nul_in_an_unauthenticated_body_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{API}/auth/login", json={"username": "ed\u0000", "password": "x"})
    assert response.status_code == 422
    assert "NUL" in response.json()["detail"]


async def test_nul_in_bodies_queries_and_paths_is_refused(studio: Studio) -> None:
    project = await create_project(studio.editor)
    probes = [
        studio.admin.post(f"{API}/auth/tokens", json={"name": "a\u0000b"}),
        studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "t", "time_of_day": "x\u0000"}),
        studio.admin.get(f"{API}/jobs?kind=a%00b"),
        studio.admin.get(f"{API}/jobs", params={"subject_type": "a\x00"}),
        studio.admin.get(f"{API}/projects/a%00b"),
    ]
    for probe in probes:
        response = await probe
        assert response.status_code == 422, response.text


async def test_deep_json_is_refused_before_any_validator(studio: Studio) -> None:
    project = await create_project(studio.editor)
    deep = _nested(300)
    assert len(json.dumps(deep)) < 2500
    probes = [
        studio.editor.put(f"{API}/projects/{project['id']}/world", json={"cinematography": deep}),
        studio.editor.put(f"{API}/projects/{project['id']}/storyline", json={"story_arcs": [deep]}),
        studio.admin.post(f"{API}/workflow-templates", json={"name": "deep", "kind": "image", "workflow": deep}),
    ]
    for probe in probes:
        response = await probe
        assert response.status_code == 422, response.text
        assert "nested deeper" in response.json()["detail"]
    # A reasonable nesting still works.
    ok = await studio.editor.put(f"{API}/projects/{project['id']}/world", json={"cinematography": _nested(10)})
    assert ok.status_code == 200, ok.text


async def test_request_bodies_refuse_unknown_fields(studio: Studio) -> None:
    users = (await studio.admin.get(f"{API}/users")).json()
    user_id = next(u["id"] for u in (users["items"] if isinstance(users, dict) else users) if u["username"] == "eddie")
    response = await studio.admin.patch(f"{API}/users/{user_id}", json={"active": False})
    assert response.status_code == 422
    assert response.json()["detail"][0]["type"] == "extra_forbidden"
    # the editor can still write: nothing was changed
    assert (await create_project(studio.editor))["id"]


async def test_numbers_and_booleans_are_not_coerced(studio: Studio) -> None:
    project = await create_project(studio.editor)
    url = f"{API}/projects/{project['id']}/style"
    for bad in ({"cfg_scale": False}, {"cfg_scale": "7"}, {"steps": 20.5}):
        response = await studio.editor.put(url, json=bad)
        assert response.status_code == 422, (bad, response.text)
    ok = await studio.editor.put(url, json={"cfg_scale": 6})
    assert ok.status_code == 200, ok.text
    assert ok.json()["cfg_scale"] == 6.0


async def test_openapi_declares_both_422_shapes(client: httpx.AsyncClient) -> None:
    schema = (await client.get(f"{API}/openapi.json")).json()
    detail = schema["components"]["schemas"]["HTTPValidationError"]["properties"]["detail"]
    assert {"type": "string"} in detail["anyOf"]
    assert any(option.get("type") == "array" for option in detail["anyOf"])


async def test_every_request_body_refuses_unknown_fields(client: httpx.AsyncClient) -> None:
    """The shared base is used everywhere: each JSON body schema is closed unless deliberately open."""
    schema = (await client.get(f"{API}/openapi.json")).json()
    components = schema["components"]["schemas"]
    open_by_design = {"AppearanceData", "ColorPalette"}
    refs = set()
    for operations in schema["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if content:
                refs |= _refs(content["schema"])
    assert refs
    seen: set[str] = set()
    while refs:
        name = refs.pop()
        if name in seen or name in open_by_design:
            continue
        seen.add(name)
        component = components[name]
        if component.get("type") == "object":
            assert component.get("additionalProperties") is False, name
        refs |= _refs(component) - seen
    assert len(seen) >= 30


def _refs(node: object) -> set[str]:
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if "$ref" in node else set()
        for value in node.values():
            found |= _refs(value)
        return found
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node)) if node else set()
    return set()


async def test_the_web_ui_route_answers_hostile_paths_with_404(tmp_path: Path, settings: Settings) -> None:
    (tmp_path / "index.html").write_text('<html><head><base href="/"></head></html>')
    app = create_app(settings.model_copy(update={"ui_dir": tmp_path}), database_url="postgresql://unused/none")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://studio.test") as ui:
        assert (await ui.get("/a%00b")).status_code == 404
        assert (await ui.get("/" + "x" * 5000)).status_code == 404
        assert (await ui.get("/" + "x" * 5000 + ".js")).status_code == 404
        assert (await ui.get("/projects/1")).status_code == 200
