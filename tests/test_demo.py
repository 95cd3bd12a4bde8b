"""The sample project: a human and a NOT-human character, 2 scenes × 3 shots with dialogue, one episode."""

from __future__ import annotations

import pytest

from anime_studio.demo.service import create_demo
from anime_studio.errors import Conflict
from anime_studio.runtime import Runtime
from tests.factories import API, Studio


async def test_demo_project_is_complete_and_created_once(runtime: Runtime, studio: Studio) -> None:
    async with runtime.db.transaction() as session:
        project = await create_demo(session=session)
    detail = (await studio.reviewer.get(f"{API}/projects/{project.id}")).json()
    assert (detail["character_count"], detail["scene_count"], detail["episode_count"]) == (2, 2, 1)
    characters = (await studio.reviewer.get(f"{API}/projects/{project.id}/characters")).json()["items"]
    prompts = [(await studio.reviewer.get(f"{API}/characters/{c['id']}/prompt")).json() for c in characters]
    assert sorted(p["is_human"] for p in prompts) == [False, True]
    scenes = (await studio.reviewer.get(f"{API}/scenes", params={"project_id": project.id})).json()
    assert [s["total_shots"] for s in scenes] == [3, 3]
    for scene in scenes:
        shots = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()["shots"]
        assert sum(1 for s in shots if s["dialogue_text"]) >= 2
    episode = (await studio.reviewer.get(f"{API}/episodes", params={"project_id": project.id})).json()[0]
    assert episode["scene_count"] == 2 and episode["number"] == 1
    storyline = (await studio.reviewer.get(f"{API}/projects/{project.id}/storyline")).json()
    assert "EXT. KIRIYAMA HARBOUR STREET - EVENING" in storyline["script"]
    with pytest.raises(Conflict):
        async with runtime.db.transaction() as session:
            await create_demo(session=session)
