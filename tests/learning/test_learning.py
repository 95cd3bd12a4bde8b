"""The learning system, driven as a user would: generate with two styles, decide through the Approve API,
read what the studio learned; drift on a synthetic decline of a character's approvals."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image

from anime_studio.assets.models import Asset
from anime_studio.characters.models import Character
from anime_studio.datasets import service as datasets
from anime_studio.events.bus import get_bus
from anime_studio.learning import service as learning
from anime_studio.runtime import Runtime
from tests.factories import API, As, Studio, create_character, create_project
from tests.runs import wait_for


async def _generate(runtime: Runtime, user: As, character_id: int, **body: Any) -> list[int]:
    run = await user.post(f"{API}/generate/{character_id}", json=body)
    assert run.status_code == 202, run.text
    done = await wait_for(runtime, run.json()["id"], timeout=60)
    assert done.status.value == "succeeded", done.error
    return list(done.result["asset_ids"])


async def _review(user: As, character_id: int, ids: list[int], status: str, reason: str = "") -> None:
    body = {"asset_ids": ids, "status": status, "reason": reason}
    response = await user.post(f"{API}/datasets/{character_id}/review", json=body)
    assert response.status_code == 200, response.text
    await get_bus().drain()


async def test_suggestions_change_after_approvals(runtime: Runtime, studio: Studio, worker: object) -> None:
    # every generated image waits for a person, so only the decisions below teach anything
    await studio.editor.put(f"{API}/quality/gates", json={"auto_approve": 1.0, "auto_reject": 0.0})
    style = await studio.editor.post(
        f"{API}/generation-styles", json={"name": "soft", "cfg_scale": 5.0, "steps": 20, "sampler": "euler"}
    )
    project = await create_project(studio.editor, name="Learning Show", default_style_id=style.json()["id"])
    hana = await create_character(studio.editor, project["id"])
    soft = await _generate(runtime, studio.editor, hana["id"], count=3, seed=11, prompt_extra="standing")
    await studio.editor.patch(
        f"{API}/generation-styles/{style.json()['id']}", json={"cfg_scale": 9.0, "steps": 32, "sampler": "dpmpp_2m"}
    )
    crisp = await _generate(
        runtime, studio.editor, hana["id"], count=3, seed=2_000_000_000, prompt_extra="sitting, smiling"
    )
    url = f"{API}/learning/characters/{hana['id']}/insights"

    before = (await studio.reviewer.get(url)).json()
    assert before["pending"] == 6 and before["approval_rate"] is None and before["parameters"] == []
    empty = {"cfg_scale": None, "steps": None, "sampler": None, "seed": None}
    assert before["suggested"] == {**empty, "prompt_additions": [], "negative_additions": []}

    await _review(studio.reviewer, hana["id"], soft, "rejected", "blurry")
    await _review(studio.reviewer, hana["id"], crisp, "approved")
    after = (await studio.reviewer.get(url)).json()
    suggested = after["suggested"]
    assert (suggested["cfg_scale"], suggested["steps"], suggested["sampler"]) == (9.0, 32, "dpmpp_2m")
    assert sorted(suggested["prompt_additions"]) == ["sitting", "smiling"]
    assert suggested["negative_additions"][:2] == ["blurry", "out of focus"]
    assert 2_000_000_000 <= suggested["seed"] < 2_000_000_003  # the best image's seed, in the range that works
    rates = {(p["dimension"], p["value"]): (p["approved"], p["decided"]) for p in after["parameters"]}
    assert rates[("cfg", "5.0")] == (0, 3) and rates[("cfg", "9.0")] == (3, 3)
    assert rates[("prompt_addition", "standing")] == (0, 3) and rates[("engine", "storyboard")] == (3, 6)
    assert after["reject_reasons"][0] == {"reason": "blurry", "count": 3}
    assert after["approval_rate"] == 0.5
    assert {"dimension": "sampler", "value": "dpmpp_2m"}.items() <= next(
        w for w in after["what_works"] if w["dimension"] == "sampler"
    ).items()

    # the function the replenishment loop calls gives the same answer
    async with runtime.db.sessionmaker() as session:
        direct = await learning.suggested_parameters(session, character_id=hana["id"])
    assert (direct.cfg_scale, direct.steps, direct.seed) == (9.0, 32, suggested["seed"])

    # the tide turns: the crisp style's images are rejected after all, the soft ones approved
    await _review(studio.reviewer, hana["id"], crisp, "rejected", "has umbrella")
    await _review(studio.reviewer, hana["id"], soft, "approved")
    turned = (await studio.reviewer.get(url)).json()["suggested"]
    assert (turned["cfg_scale"], turned["steps"], turned["sampler"]) == (5.0, 20, "euler")
    assert turned["prompt_additions"] == ["standing"] and turned["negative_additions"] == ["umbrella"]
    assert (await studio.reviewer.get(f"{API}/learning/characters/999999/insights")).status_code == 404


def _png(size: int = 64) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), (200, 120, 40)).save(buffer, "PNG")
    return buffer.getvalue()


async def _images(runtime: Runtime, character_id: int, count: int) -> list[int]:
    """Pending dataset images registered as the generation run does (without the engine time)."""
    ids = []
    async with runtime.db.transaction() as session:
        character = await session.get(Character, character_id)
        assert character is not None
        folder = runtime.paths.dataset_images("drift-show", character.slug)
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(count):
            file = folder / f"{character.slug}_{index:03d}.png"
            file.write_bytes(_png())
            provenance = {"engine": "storyboard", "seed": index, "cfg": 7.0, "steps": 25, "sampler": "euler"}
            asset = await datasets.add_image(
                session=session, paths=runtime.paths, character=character, file=file, caption="", provenance=provenance
            )
            ids.append(asset.id)
    return ids


async def test_drift_fires_on_a_synthetic_decline(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Drift Show")
    hana = await create_character(studio.editor, project["id"])
    steady = await create_character(studio.editor, project["id"], name="Kai")
    ids = await _images(runtime, hana["id"], 20)
    warnings_url = f"{API}/learning/drift-warnings"
    async with get_bus().subscribe("quality.drift") as events:
        for asset_id in ids[:12]:
            await _review(studio.reviewer, hana["id"], [asset_id], "approved")
        for asset_id in ids[12:19]:
            await _review(studio.reviewer, hana["id"], [asset_id], "rejected", "off-model")
        assert (await studio.reviewer.get(warnings_url)).json() == []  # 7 of the last 10 rejected, baseline 9 < 10
        await _review(studio.reviewer, hana["id"], [ids[19]], "rejected", "off-model")
        event = events.queue.get_nowait()
    assert event.data["character_id"] == hana["id"] and event.data["metric"] == "approval_rate"
    open_ = (await studio.reviewer.get(warnings_url, params={"project_id": project["id"]})).json()
    assert len(open_) == 1 and open_[0]["baseline"] == 1.0 and open_[0]["recent"] == 0.2 and open_[0]["window"] == 10
    assert "approval rate of the last 10 decisions is 20% against 100%" in open_[0]["message"]

    await _review(studio.reviewer, hana["id"], ids[:3], "rejected", "off-model")  # still drifting: no second warning
    assert len((await studio.reviewer.get(warnings_url)).json()) == 1

    dismissed = await studio.reviewer.post(f"{warnings_url}/{open_[0]['id']}/dismiss")
    assert dismissed.status_code == 200 and dismissed.json()["dismissed_at"] is not None
    await _review(studio.reviewer, hana["id"], [ids[3]], "rejected", "off-model")
    assert (await studio.reviewer.get(warnings_url)).json() == []  # the window still holds decisions already seen
    history = (await studio.reviewer.get(warnings_url, params={"include_dismissed": True})).json()
    assert [w["id"] for w in history] == [open_[0]["id"]]
    assert (await studio.reviewer.post(f"{warnings_url}/999999/dismiss")).status_code == 404

    # a steady character (one rejection in four, all along) never drifts
    for index, asset_id in enumerate(await _images(runtime, steady["id"], 24)):
        await _review(studio.reviewer, steady["id"], [asset_id], "rejected" if index % 4 == 3 else "approved")
    assert (await studio.reviewer.get(warnings_url, params={"character_id": steady["id"]})).json() == []


async def test_drift_on_falling_scores_while_approvals_hold(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Drift Show")
    hana = await create_character(studio.editor, project["id"])
    ids = await _images(runtime, hana["id"], 20)
    async with runtime.db.transaction() as session:
        for index, asset_id in enumerate(ids):
            asset = await session.get(Asset, asset_id)
            assert asset is not None
            asset.quality_score = 0.9 if index < 10 else 0.7  # every image approved, the newer ones weaker
    for asset_id in ids:
        await _review(studio.reviewer, hana["id"], [asset_id], "approved")
    [warning] = (await studio.reviewer.get(f"{API}/learning/drift-warnings")).json()
    assert (warning["metric"], warning["baseline"], warning["recent"]) == ("quality_score", 0.9, 0.7)
    assert "quality score of the last 10 decisions is 0.70 against 0.90" in warning["message"]
