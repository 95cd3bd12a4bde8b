"""Prompt enhancement: the user's terms kept, a diff returned, and nothing the style or world already supply."""

from __future__ import annotations

import pytest

from tests.factories import API, Studio, create_project


async def test_style_and_world_terms_are_left_to_their_source(studio: Studio) -> None:
    project = await create_project(studio.editor)
    world = await studio.editor.put(
        f"{API}/projects/{project['id']}/world", json={"art_style": "watercolour anime, soft pastel palette"}
    )
    assert world.status_code == 200
    prompt = "1girl, short black hair, yellow raincoat, standing in the rain at night"
    response = await studio.editor.post(
        f"{API}/echo/enhance-prompt", json={"project_id": project["id"], "field": "design", "prompt": prompt}
    )
    assert response.status_code == 200, response.text
    result = response.json()
    enhanced = [t.strip().lower() for t in result["enhanced"].split(",")]
    assert enhanced[:4] == ["1girl", "short black hair", "yellow raincoat", "standing in the rain at night"]
    assert len(enhanced) > 4  # something was added
    # The studio's default style template is "masterpiece, best quality, anime style": composition adds those.
    for owned in ("masterpiece", "best quality", "anime style", "watercolour anime", "soft pastel palette"):
        assert owned not in enhanced
    assert {"masterpiece", "best quality", "watercolour anime"} <= set(result["left_to_style"])
    ops = {part["op"] for part in result["diff"]}
    assert ops == {"keep", "add"}
    assert [p["text"] for p in result["diff"] if p["op"] == "keep"] == [t.strip() for t in prompt.split(",")]
    assert ", ".join(p["text"] for p in result["diff"]) == result["enhanced"]


async def test_a_users_own_style_terms_stay(studio: Studio) -> None:
    project = await create_project(studio.editor)
    response = await studio.editor.post(
        f"{API}/echo/enhance-prompt", json={"project_id": project["id"], "prompt": "masterpiece, old fisherman"}
    )
    assert response.json()["enhanced"].startswith("masterpiece, old fisherman")


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"prompt": "   "}, 422),
        ({"prompt": "x" * 4001}, 422),
        ({"prompt": "a cat", "field": "lyrics"}, 422),
        ({"prompt": "a cat", "project_id": 999999}, 404),
    ],
)
async def test_bad_enhance_requests(studio: Studio, body: dict[str, object], code: int) -> None:
    project = await create_project(studio.editor)
    response = await studio.editor.post(f"{API}/echo/enhance-prompt", json={"project_id": project["id"], **body})
    assert response.status_code == code and "detail" in response.json()
