"""Chain continuity keeps the cast: a shot goes on from the incoming picture only when everyone it must show
is in it (and, after a camera move over a still, with the same framing); camera zoom never compounds."""

from __future__ import annotations

import json
from typing import Any

from PIL import Image

from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_character, create_project
from tests.scenes.test_scene_generation import SMALL_STYLE, _generate


async def _two_hander(studio: Studio) -> tuple[int, list[int], dict[str, int]]:
    project = await create_project(studio.editor, name="Two Hander")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json=SMALL_STYLE)
    hana = await create_character(studio.editor, project["id"])
    mika = await create_character(studio.editor, project["id"], name="Mika", design_prompt="1girl, pink hair")
    scene = (
        await studio.editor.post(
            f"{API}/scenes", json={"project_id": project["id"], "title": "Pier", "location": "harbour pier"}
        )
    ).json()
    plan: list[dict[str, Any]] = [
        {"shot_type": "medium", "characters": [hana["id"]], "motion_prompt": "camera slowly zooms in"},
        {"shot_type": "medium", "characters": [hana["id"]], "motion_prompt": "camera slowly zooms in"},
        # Mika speaks but is not in the incoming picture: she must be brought in.
        {"shot_type": "medium", "characters": [], "dialogue_character_id": mika["id"], "dialogue_text": "Wait!"},
        {"shot_type": "close-up", "characters": [hana["id"]]},
    ]
    ids = []
    for body in plan:
        body |= {"duration": 1.0, "transition_type": "cut"}
        ids.append((await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json=body)).json()["id"])
    return scene["id"], ids, {"hana": hana["id"], "mika": mika["id"]}


def _drawn(runtime: Runtime, relative: str) -> list[str]:
    with Image.open(runtime.paths.inside(relative)) as picture:
        names: list[str] = json.loads(picture.info["parameters"])["resolved"]["characters_drawn"]
    return names


async def test_chain_keeps_the_cast_and_never_compounds_zoom(runtime: Runtime, studio: Studio, worker: object) -> None:
    from anime_studio.scenes.models import Shot

    scene_id, ids, _ = await _two_hander(studio)
    await _generate(runtime, studio, scene_id)
    async with runtime.db.sessionmaker() as session:
        rows = [await session.get(Shot, i) for i in ids]
    first, second, line, close = rows
    assert first and second and line and close
    # Same cast, same framing: go on from the still the first push-in moved over, not its zoomed last frame.
    assert second.first_frame_path == first.first_frame_path == first.keyframe_path
    assert second.first_frame_path != first.last_frame_path
    # The speaker was not in the incoming picture: a keyframe with her is composed.
    assert line.first_frame_path is not None and line.first_frame_path == line.keyframe_path
    # A close-up is not the medium picture again.
    assert close.first_frame_path == close.keyframe_path
    for shot in rows:
        assert shot and shot.first_frame_path
        if shot.dialogue_character_id is not None:
            assert "Mika" in _drawn(runtime, shot.first_frame_path)
