"""Quality gates are stored, validated and exposed at the spec's path."""

from __future__ import annotations

from tests.factories import API, Studio


async def test_defaults_match_the_spec(studio: Studio) -> None:
    gates = {g["name"]: g["value"] for g in (await studio.reviewer.get(f"{API}/quality/gates")).json()["gates"]}
    assert gates == {
        "auto_approve": 0.8,
        "auto_reject": 0.4,
        "scene_shot_minimum": 0.4,
        "shot_gate_1": 0.6,
        "shot_gate_2": 0.45,
        "shot_gate_3": 0.3,
    }


async def test_update_with_body_and_with_query(studio: Studio) -> None:
    body = await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 0.85})
    assert body.status_code == 200
    query = await studio.editor.put(f"{API}/quality/gates/auto_reject", params={"threshold": 0.35})
    gates = {g["name"]: g["value"] for g in query.json()["gates"]}
    assert gates["auto_approve"] == 0.85 and gates["auto_reject"] == 0.35


async def test_inconsistent_or_unknown_gates_are_refused(studio: Studio) -> None:
    crossed = await studio.editor.put(f"{API}/quality/gates", json={"auto_reject": 0.9})
    assert crossed.status_code == 422 and "auto_reject" in crossed.json()["detail"]
    tightening = await studio.editor.put(f"{API}/quality/gates", json={"shot_gate_3": 0.7})
    assert tightening.status_code == 422
    out_of_range = await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 1.5})
    assert out_of_range.status_code == 422
    unknown = await studio.editor.put(f"{API}/quality/gates/bogus", params={"threshold": 0.5})
    assert unknown.status_code == 404
    assert (await studio.reviewer.put(f"{API}/quality/gates", json={"auto_approve": 0.9})).status_code == 403
