"""Projects and generation styles over the API, including bad input."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import API, Studio, create_character, create_project


async def test_create_project_gets_its_own_style(studio: Studio) -> None:
    project = await create_project(studio.editor, name="Starlight Courier", description="a show")
    assert project["slug"] == "starlight-courier"
    assert project["style"]["name"] == "Starlight Courier style"
    assert project["style"]["width"] == 1024 and project["style"]["fps"] == 24
    fetched = (await studio.reviewer.get(f"{API}/projects/{project['id']}")).json()
    assert fetched["description"] == "a show" and fetched["character_count"] == 0


async def test_project_with_existing_style(studio: Studio) -> None:
    style = await studio.editor.post(
        f"{API}/generation-styles", json={"name": "SDXL anime", "checkpoint_model": "animagine-xl-3.1.safetensors"}
    )
    assert style.status_code == 201
    project = await create_project(studio.editor, default_style_id=style.json()["id"])
    assert project["style"]["checkpoint_model"] == "animagine-xl-3.1.safetensors"
    in_use = await studio.editor.delete(f"{API}/generation-styles/{style.json()['id']}")
    assert in_use.status_code == 409


async def test_list_projects_is_paginated_with_counts(studio: Studio) -> None:
    for name in ("Gamma", "Alpha", "Beta"):
        await create_project(studio.editor, name=name)
    alpha = (await studio.editor.get(f"{API}/projects", params={"limit": 1})).json()
    assert alpha["total"] == 3 and [p["name"] for p in alpha["items"]] == ["Alpha"]
    await create_character(studio.editor, alpha["items"][0]["id"])
    rest = (await studio.editor.get(f"{API}/projects", params={"limit": 5, "offset": 1})).json()
    assert [p["name"] for p in rest["items"]] == ["Beta", "Gamma"]
    first = (await studio.editor.get(f"{API}/projects")).json()["items"][0]
    assert first["character_count"] == 1


async def test_update_and_delete_project(studio: Studio) -> None:
    project = await create_project(studio.editor)
    patched = await studio.editor.patch(f"{API}/projects/{project['id']}", json={"genre": "mecha", "status": "paused"})
    assert patched.status_code == 200
    assert patched.json()["genre"] == "mecha" and patched.json()["slug"] == project["slug"]
    assert (await studio.editor.delete(f"{API}/projects/{project['id']}")).status_code == 204
    assert (await studio.editor.get(f"{API}/projects/{project['id']}")).status_code == 404


async def test_project_style_endpoint_updates_the_ssot(studio: Studio) -> None:
    project = await create_project(studio.editor)
    updated = await studio.editor.put(f"{API}/projects/{project['id']}/style", json={"steps": 30, "cfg_scale": 6.5})
    assert updated.status_code == 200
    style = (await studio.reviewer.get(f"{API}/projects/{project['id']}/style")).json()
    assert style["steps"] == 30 and style["cfg_scale"] == 6.5


async def test_duplicate_slug_is_409(studio: Studio) -> None:
    await create_project(studio.editor, name="Same")
    response = await studio.editor.post(f"{API}/projects", json={"name": "Same"})
    assert response.status_code == 409
    assert "slug" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "slug": "../x"},
        {"name": "x", "slug": "a/b"},
        {"name": "x", "slug": "UPPER"},
        {"name": ""},
        {"name": 12},
        {"name": ["list"]},
        {"name": "x" * 201},
        {"name": "nul\x00byte"},
        {"name": "x", "default_style_id": 99999999999},
        {"name": "x", "content_rating": "XXX"},
        {},
    ],
)
async def test_bad_project_input_is_422(studio: Studio, body: dict[str, object]) -> None:
    response = await studio.editor.post(f"{API}/projects", json=body)
    assert response.status_code == 422, response.text
    assert "detail" in response.json()


async def test_unknown_style_is_404(studio: Studio) -> None:
    response = await studio.editor.post(f"{API}/projects", json={"name": "x", "default_style_id": 4242})
    assert response.status_code == 404


@pytest.mark.parametrize("path", ["/projects/0", "/projects/4242", "/projects/abc", "/projects/-1", "/projects/1e3"])
async def test_unknown_or_malformed_ids(studio: Studio, path: str) -> None:
    response = await studio.editor.get(f"{API}{path}")
    assert response.status_code in (404, 422)
    assert "detail" in response.json()


async def test_huge_body_is_413(studio: Studio) -> None:
    response = await studio.editor.post(f"{API}/projects", json={"name": "x", "description": "y" * (3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "too large" in response.json()["detail"]


async def test_huge_chunked_body_is_413(studio: Studio) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        for _ in range(40):
            yield b"x" * 100_000

    response = await studio.editor.post(
        f"{API}/projects", content=chunks(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413


async def test_malformed_json_is_422(studio: Studio) -> None:
    response = await studio.editor.post(
        f"{API}/projects", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422


async def test_unknown_api_path_is_json_404(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{API}/nope")
    assert response.status_code == 404 and "detail" in response.json()


async def test_style_validation(studio: Studio) -> None:
    bad = await studio.editor.post(f"{API}/generation-styles", json={"name": "s", "width": 1000, "steps": 0})
    assert bad.status_code == 422
    path = await studio.editor.post(f"{API}/generation-styles", json={"name": "s", "checkpoint_model": "../../x"})
    assert path.status_code == 422
    ok = await studio.editor.post(f"{API}/generation-styles", json={"name": "s", "width": 768, "height": 512})
    dup = await studio.editor.post(f"{API}/generation-styles", json={"name": "S"})
    assert ok.status_code == 201 and dup.status_code == 409
