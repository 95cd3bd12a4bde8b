"""Auto-correction: off by default; once on, an image the auto-triage rejects is corrected by a run, and
the correction is reviewed again (a rejected correction is not corrected again)."""

from __future__ import annotations

import asyncio
from typing import Any

from anime_studio.correction.strategies import choose
from anime_studio.events.bus import get_bus
from anime_studio.runtime import Runtime
from tests.correction.conftest import Rejected, blurred, darkened
from tests.factories import API, Studio
from tests.runs import wait_for


def test_strategy_follows_the_person_then_the_review() -> None:
    issues = ["no key colours to check the character against", "underexposed (mean luminance 31/255)"]
    assert choose(reason="", issues=issues) == "fix_brightness"
    assert choose(reason="not solo", issues=issues) == "fix_solo"  # a person's reason comes first
    assert choose(reason="has umbrella", issues=[]) == "fix_appearance"
    assert choose(reason="duplicate", issues=["low contrast (luminance spread 9)", "blurry (sharpness 1.0/10)"]) == (
        "fix_contrast"
    )
    assert choose(reason="", issues=["2 separate figures detected (not solo)", "low resolution 300x200"]) == "fix_solo"
    assert choose(reason="", issues=["key colour 'hair' (#1b1b1b) not found (closest ΔE 40.0)"]) == "fix_appearance"
    assert choose(reason="", issues=["species 'cat' not verified: cannot tell"]) == "fix_quality"


async def _history(studio: Studio, character_id: int, *, done: int) -> list[dict[str, Any]]:
    for _ in range(300):
        rows: list[dict[str, Any]] = (
            await studio.reviewer.get(f"{API}/learning/characters/{character_id}/corrections")
        ).json()
        if sum(r["status"] in ("done", "failed") for r in rows) >= done:
            return rows
        await asyncio.sleep(0.05)
    raise AssertionError(f"corrections not finished: {rows}")


async def test_off_by_default_then_corrects_what_the_triage_rejects(
    runtime: Runtime, studio: Studio, rejected: Rejected, hana: dict[str, Any]
) -> None:
    url = f"{API}/learning/projects/{hana['project_id']}/auto-correction"
    assert (await studio.reviewer.get(url)).json() == {"project_id": hana["project_id"], "enabled": False}
    await rejected(blurred(), "blurry", name="while-off")
    assert (await studio.reviewer.get(f"{API}/learning/characters/{hana['id']}/corrections")).json() == []

    assert (await studio.reviewer.put(url, json={"enabled": True})).status_code == 403  # editors decide
    assert (await studio.editor.put(url, json={"enabled": True})).json()["enabled"] is True
    assert (
        await studio.editor.put(f"{API}/learning/projects/999999/auto-correction", json={"enabled": True})
    ).status_code == 404

    # A person's rejection: the reason picks the strategy.
    async with get_bus().subscribe("regeneration.queued") as events:
        dark = await rejected(darkened(), "blurry", name="dark")
        queued = await asyncio.wait_for(events.get(), 10)
    assert queued.data["asset_id"] == dark and queued.data["strategy"] == "fix_blur"

    # The auto-triage's rejection of a generated image: the review's issues pick it.
    await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 1.0, "auto_reject": 0.99})
    run = await studio.editor.post(f"{API}/generate/{hana['id']}", json={"count": 1, "seed": 5})
    finished = await wait_for(runtime, run.json()["id"], timeout=60)
    assert finished.result["statuses"] == ["rejected"]
    generated = finished.result["asset_ids"][0]
    rows = await _history(studio, hana["id"], done=2)
    await get_bus().drain()
    mine = next(r for r in rows if r["original"]["id"] == generated)
    review = (await studio.reviewer.get(f"{API}/assets/{generated}")).json()["review"]
    assert mine["status"] == "done" and mine["strategy"] == choose(reason="", issues=review["issues"])
    assert mine["reason"] == "; ".join(review["issues"])  # what the review found, not "quality … < auto_reject"
    corrected = (await studio.reviewer.get(f"{API}/assets/{mine['corrected']['id']}")).json()
    assert corrected["source_asset_id"] == generated and corrected["status"] == "rejected"  # 0.99 rejects it too
    await asyncio.sleep(0.3)
    again = (await studio.reviewer.get(f"{API}/learning/characters/{hana['id']}/corrections")).json()
    assert len(again) == 2  # the rejected correction was not corrected in turn
