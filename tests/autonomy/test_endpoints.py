"""The four spec endpoints and the guard settings: parameters, permissions, bad input → 4xx."""

from __future__ import annotations

import json

from anime_studio.runtime import Runtime
from tests.autonomy.helpers import LOOP, human_character
from tests.factories import API, Studio


async def test_defaults_are_the_specs(studio: Studio) -> None:
    status = (await studio.reviewer.get(f"{LOOP}/status")).json()
    assert status["enabled"] is False and status["active_tasks"] == [] and status["characters"] == []
    assert status["settings"] == {
        "enabled": False, "cooldown_seconds": 60, "daily_limit": 10, "max_consecutive_rejects": 5,
        "pending_buffer": 3, "max_concurrent": 2, "batch_size": 3,
    }  # fmt: skip


async def test_target_writes_the_dataset_target_and_enrols(runtime: Runtime, studio: Studio) -> None:
    hana = await human_character(studio)
    response = await studio.editor.post(f"{LOOP}/target", params={"target": 12, "character_slug": "hana"})
    assert response.status_code == 200, response.text
    assert response.json()["target"] == 12 and response.json()["reason"] == "loop is off"
    settings = json.loads((runtime.paths.dataset("loop-hana", "hana") / "dataset.json").read_text())
    assert settings["target"] == 12 and settings["trigger"] == ""
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    assert view["settings"]["target"] == 12
    readiness = (await studio.reviewer.get(f"{LOOP}/readiness", params={"project_name": "Loop Hana"})).json()
    assert readiness["total"] == 1 and readiness["characters"][0]["replenishing"] is True
    assert readiness["characters"][0]["target"] == 12 and readiness["characters"][0]["progress"] == 0
    stop = await studio.editor.post(f"{LOOP}/target", params={"target": 0, "character_slug": "hana"})
    assert stop.json()["active"] is False


async def test_toggle_needs_an_editor_and_a_boolean(studio: Studio) -> None:
    assert (await studio.reviewer.post(f"{LOOP}/toggle", params={"enabled": "true"})).status_code == 403
    assert (await studio.editor.post(f"{LOOP}/toggle")).status_code == 422
    assert (await studio.editor.post(f"{LOOP}/toggle", params={"enabled": "maybe"})).status_code == 422
    on = await studio.editor.post(f"{LOOP}/toggle", params={"enabled": "true"})
    assert on.status_code == 200 and on.json()["enabled"] is True


async def test_bad_parameters_are_4xx(studio: Studio) -> None:
    await human_character(studio)
    for params, code in (
        ({"target": -1, "character_slug": "hana"}, 422),
        ({"target": 10**9, "character_slug": "hana"}, 422),
        ({"target": 5, "character_slug": "../etc"}, 422),
        ({"target": 5, "character_slug": "nobody"}, 404),
        ({"target": 5, "character_slug": "hana", "project_name": "No Such Show"}, 404),
        ({"target": 5}, 422),
    ):
        response = await studio.editor.post(f"{LOOP}/target", params=params)
        assert response.status_code == code and "detail" in response.json(), (params, response.text)
    assert (await studio.reviewer.get(f"{LOOP}/readiness", params={"project_name": "nope"})).status_code == 404
    for body in ({"batch_size": 0}, {"max_concurrent": 1000}, {"cooldown_seconds": -5}, {"enabled": True}, {"x": 1}):
        assert (await studio.editor.put(f"{LOOP}/settings", json=body)).status_code == 422, body


async def test_a_slug_in_two_projects_needs_the_project(studio: Studio) -> None:
    await human_character(studio)
    other = await studio.editor.post(f"{API}/projects", json={"name": "Other Show"})
    await studio.editor.post(f"{API}/projects/{other.json()['id']}/characters", json={"name": "Hana"})
    ambiguous = await studio.editor.post(f"{LOOP}/target", params={"target": 5, "character_slug": "hana"})
    assert ambiguous.status_code == 409
    chosen = await studio.editor.post(
        f"{LOOP}/target", params={"target": 5, "character_slug": "hana", "project_name": "Other Show"}
    )
    assert chosen.status_code == 200 and chosen.json()["project_name"] == "Other Show"


async def test_guard_settings_and_learned_parameters_are_editable(studio: Studio) -> None:
    hana = await human_character(studio)
    response = await studio.editor.put(f"{LOOP}/settings", json={"cooldown_seconds": 5, "batch_size": 2})
    assert response.json()["cooldown_seconds"] == 5 and response.json()["batch_size"] == 2
    assert (await studio.reviewer.get(f"{LOOP}/settings")).json()["batch_size"] == 2
    flag = await studio.editor.put(f"{LOOP}/characters/{hana['id']}", json={"use_learned_parameters": True})
    assert flag.status_code == 200
    await studio.editor.post(f"{LOOP}/target", params={"target": 4, "character_slug": "hana"})
    status = (await studio.reviewer.get(f"{LOOP}/status")).json()
    assert status["characters"][0]["use_learned_parameters"] is True
    missing = await studio.editor.put(f"{LOOP}/characters/999999", json={"use_learned_parameters": True})
    assert missing.status_code == 404
