"""Story plans are held to the scene and shot rules at the edge: a person's plans (422), an engine's (502)."""

from __future__ import annotations

from typing import Any

import pytest

from anime_studio.engines.llm.base import ScenePlan, ShotPlan
from anime_studio.errors import BadGateway
from anime_studio.scenes import story
from tests.factories import API, Studio, create_project


def _plan(**shot: Any) -> dict[str, Any]:
    return {"title": "Rooftop", "shots": [{"shot_type": "wide", "duration": 2.0, **shot}]}


async def test_saved_plans_follow_the_shot_rules(studio: Studio) -> None:
    project = await create_project(studio.editor)
    url = f"{API}/scenes/generate-from-story"
    params = {"project_id": project["id"], "create": True}
    bad_plans = [
        _plan(duration=0.001),
        _plan(camera_angle="sideways"),
        _plan(dialogue_text="x" * 20_001),
        {"title": "", "shots": []},
        {"title": "t" * 201, "shots": []},
        {"title": "Night", "time_of_day": "x" * 33},
        {"title": "Night", "unknown": 1},
    ]
    for plan in bad_plans:
        response = await studio.editor.post(url, params=params, json={"scenes": [plan]})
        assert response.status_code == 422, (plan, response.text)
    nul = await studio.editor.post(url, params=params, json={"scenes": [{"title": "a\u0000b"}]})
    assert nul.status_code == 422
    listed = await studio.reviewer.get(f"{API}/scenes", params={"project_id": project["id"]})
    assert listed.json() == []
    good = await studio.editor.post(url, params=params, json={"scenes": [_plan(duration=0.5)]})
    assert good.status_code == 200, good.text
    assert good.json()["scenes"][0]["shots"][0]["duration"] == 0.5


def test_an_engine_breakdown_that_breaks_the_rules_is_a_bad_gateway() -> None:
    plans = [ScenePlan(title="Rooftop", shots=[ShotPlan(duration=0.001)])]
    with pytest.raises(BadGateway) as caught:
        story.checked(plans, engine="ollama")
    assert caught.value.status == 502
    assert "ollama" in caught.value.detail and "shots.0.duration" in caught.value.detail
    assert story.checked([ScenePlan(title="Rooftop", shots=[ShotPlan(duration=1)])], engine="rules")[0].title
