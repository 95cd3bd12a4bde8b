"""Proposed actions change nothing until an editor confirms them; each is decided once."""

from __future__ import annotations

from tests.echo.conftest import ask, conversation
from tests.factories import API, Studio, create_character, create_project

PARAGRAPH = (
    "At dawn Hana climbs the lighthouse stairs and finds the lamp broken. "
    "That night a storm hits the harbour and Hana rows out to save a fishing boat."
)


async def test_a_common_error_is_added_only_after_confirmation(studio: Studio) -> None:
    project = await create_project(studio.editor)
    hana = await create_character(studio.editor, project["id"])
    talk = await conversation(studio.editor, project["id"])
    _, message, _ = await ask(studio.editor, talk, "Add a common error to Hana: extra fingers on the left hand")
    (action,) = message["actions"]
    assert (action["kind"], action["status"]) == ("add_common_error", "proposed")
    assert action["payload"] == {"character_id": hana["id"], "error": "extra fingers on the left hand"}
    read = await studio.editor.get(f"{API}/characters/{hana['id']}")
    assert read.json()["appearance_data"]["common_errors"] == []
    assert (await studio.reviewer.post(f"{API}/echo/actions/{action['id']}/confirm")).status_code == 403
    confirmed = await studio.editor.post(f"{API}/echo/actions/{action['id']}/confirm")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "applied"
    read = await studio.editor.get(f"{API}/characters/{hana['id']}")
    assert read.json()["appearance_data"]["common_errors"] == ["extra fingers on the left hand"]
    again = await studio.editor.post(f"{API}/echo/actions/{action['id']}/decline")
    assert again.status_code == 409


async def test_drafted_scenes_are_created_on_confirmation_and_never_on_decline(studio: Studio) -> None:
    project = await create_project(studio.editor)
    await create_character(studio.editor, project["id"])
    talk = await conversation(studio.editor, project["id"])
    scenes = f"{API}/scenes?project_id={project['id']}"
    first = (await ask(studio.editor, talk, f"Draft scenes from this paragraph: {PARAGRAPH}"))[1]["actions"][0]
    second = (await ask(studio.editor, talk, f"Draft scenes from this paragraph: {PARAGRAPH}"))[1]["actions"][0]
    assert first["kind"] == "draft_scenes" and len(first["payload"]["scenes"]) >= 1
    assert len((await studio.editor.get(scenes)).json()) == 0
    assert (await studio.editor.post(f"{API}/echo/actions/{second['id']}/decline")).json()["status"] == "declined"
    assert len((await studio.editor.get(scenes)).json()) == 0
    applied = (await studio.editor.post(f"{API}/echo/actions/{first['id']}/confirm")).json()
    listed = (await studio.editor.get(scenes)).json()
    assert len(listed) == len(first["payload"]["scenes"]) == len(applied["result"]["scene_ids"])


async def test_an_enhanced_design_prompt_is_applied_unless_it_changed_meanwhile(studio: Studio) -> None:
    project = await create_project(studio.editor)
    hana = await create_character(studio.editor, project["id"])
    talk = await conversation(studio.editor, project["id"])
    _, message, _ = await ask(studio.editor, talk, "Please enhance the design prompt of Hana")
    (action,) = message["actions"]
    assert action["kind"] == "enhance_prompt" and action["payload"]["before"] == hana["design_prompt"]
    assert (await studio.editor.get(f"{API}/characters/{hana['id']}")).json()["design_prompt"] == hana["design_prompt"]
    confirmed = await studio.editor.post(f"{API}/echo/actions/{action['id']}/confirm")
    assert confirmed.status_code == 200
    after = (await studio.editor.get(f"{API}/characters/{hana['id']}")).json()["design_prompt"]
    assert after == action["payload"]["after"] != hana["design_prompt"]
    _, message, _ = await ask(studio.editor, talk, "enhance Hana's prompt again")
    await studio.editor.patch(f"{API}/characters/{hana['id']}", json={"design_prompt": "1girl, red scarf"})
    stale = await studio.editor.post(f"{API}/echo/actions/{message['actions'][0]['id']}/confirm")
    assert stale.status_code == 409
    assert (await studio.editor.get(f"{API}/characters/{hana['id']}")).json()["design_prompt"] == "1girl, red scarf"


async def test_unknown_actions_are_404(studio: Studio) -> None:
    assert (await studio.editor.post(f"{API}/echo/actions/987654/confirm")).status_code == 404
