"""The replenishment loop on the embedded engines, driven through the API: target, rejects, each guard."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from anime_studio.autonomy.models import ReplenishmentBatch
from anime_studio.engines.base import EngineError, TransientEngineError
from anime_studio.engines.image.base import ImageEngine, ImageRequest, ImageResult
from anime_studio.jobs.models import Run, RunStatus
from anime_studio.runtime import Runtime
from tests.autonomy.helpers import (
    APPROVE_ALL,
    LEAVE_PENDING,
    REJECT_ALL,
    approve_pending,
    batch_sizes,
    character_status,
    configure,
    human_character,
    settled,
    start,
)
from tests.factories import API, Studio


async def test_loop_stops_at_exactly_the_target(runtime: Runtime, studio: Studio, worker: object) -> None:
    hana = await human_character(studio)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0, daily_limit=100)
    await start(studio, "hana", target=10)
    await settled(runtime)
    while await approve_pending(studio, hana["id"]):  # each approval is the loop's trigger again
        await settled(runtime)
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    assert view["counts"] == {"approved": 10, "pending": 0, "rejected": 0}
    sizes = await batch_sizes(runtime, hana["id"])
    assert sum(sizes) == 10 and max(sizes) <= 3
    status = await character_status(studio, hana["id"])
    assert (status["state"], status["reason"]) == ("done", "target reached (10/10)")


async def test_loop_stops_after_five_rejects_in_a_row(runtime: Runtime, studio: Studio, worker: object) -> None:
    hana = await human_character(studio)
    await configure(studio, REJECT_ALL, cooldown_seconds=0, daily_limit=100)
    await start(studio, "hana", target=20)
    await settled(runtime)
    counts = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()["counts"]
    assert counts == {"approved": 0, "pending": 0, "rejected": 5}
    assert await batch_sizes(runtime, hana["id"]) == [3, 2]
    status = await character_status(studio, hana["id"])
    assert (status["state"], status["reason"], status["reject_streak"]) == ("paused", "5 rejects in a row", 5)


async def test_daily_limit_caps_images_per_character(runtime: Runtime, studio: Studio, worker: object) -> None:
    hana = await human_character(studio)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0, daily_limit=4, pending_buffer=100)
    await start(studio, "hana", target=20)
    await settled(runtime)
    assert await batch_sizes(runtime, hana["id"]) == [3, 1]
    status = await character_status(studio, hana["id"])
    assert (status["approved"] + status["pending"], status["generated_today"]) == (4, 4)
    assert (status["state"], status["reason"]) == ("paused", "daily limit reached")
    daily = (await studio.reviewer.get(f"{API}/replenishment/status")).json()["daily_counts"]
    assert daily == {"hana": 4}


async def test_cooldown_holds_the_next_batch_and_comes_back_by_itself(
    runtime: Runtime, studio: Studio, worker: object
) -> None:
    hana = await human_character(studio)
    await configure(studio, APPROVE_ALL, pending_buffer=100)  # the spec's default cooldown: 60 s
    await start(studio, "hana", target=20)
    await settled(runtime)
    assert await batch_sizes(runtime, hana["id"]) == [3]
    status = await character_status(studio, hana["id"])
    assert status["state"] == "waiting" and status["reason"].startswith("cooldown ")
    assert 0 < status["cooldown_left"] <= 60
    async with runtime.db.sessionmaker() as session:
        later = list(
            (
                await session.scalars(select(Run).where(Run.kind == "replenish.check", Run.status == RunStatus.queued))
            ).all()
        )
    assert len(later) == 1 and later[0].message == "waiting for the cooldown"


async def test_pending_buffer_pauses_until_a_person_reviews(runtime: Runtime, studio: Studio, worker: object) -> None:
    hana = await human_character(studio)
    await configure(studio, LEAVE_PENDING, cooldown_seconds=0, daily_limit=100)
    await start(studio, "hana", target=20)
    await settled(runtime)
    assert await batch_sizes(runtime, hana["id"]) == [3]
    status = await character_status(studio, hana["id"])
    assert (status["state"], status["reason"]) == ("paused", "3 pending to review")
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    first = view["items"][0]["id"]
    decision = {"asset_ids": [first], "status": "approved", "reason": ""}
    assert (await studio.reviewer.post(f"{API}/datasets/{hana['id']}/review", json=decision)).status_code == 200
    await settled(runtime)  # the approval is the loop's trigger: one more batch, then the buffer is full again
    assert await batch_sizes(runtime, hana["id"]) == [3, 3]
    pending = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}", params={"status": "pending"})).json()
    assert len(pending["items"]) == 5
    decision = {"asset_ids": [i["id"] for i in pending["items"][:3]], "status": "rejected", "reason": "off-model"}
    assert (await studio.reviewer.post(f"{API}/datasets/{hana['id']}/review", json=decision)).status_code == 200
    await settled(runtime)  # rejections shrink the backlog too: 2 pending now
    assert await batch_sizes(runtime, hana["id"]) == [3, 3, 3]


class BrokenImages:
    """An image engine that refuses every prompt (a missing checkpoint, say)."""

    async def generate(self, request: ImageRequest) -> ImageResult:
        raise EngineError("checkpoint not found: missing.safetensors")

    def parallel_prompts(self) -> int:
        return 1


async def test_a_failed_batch_frees_its_slot_and_says_why(
    runtime: Runtime, studio: Studio, worker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    hana = await human_character(studio)
    await configure(studio, APPROVE_ALL, cooldown_seconds=0)
    monkeypatch.setattr(runtime.engines, "image", BrokenImages())
    await start(studio, "hana", target=5)
    await settled(runtime)
    status = (await studio.reviewer.get(f"{API}/replenishment/status")).json()
    assert status["active_tasks"] == [] and len(await batch_sizes(runtime, hana["id"])) == 1
    mine = status["characters"][0]
    assert mine["state"] == "paused"
    assert mine["reason"] == "last batch failed: checkpoint not found: missing.safetensors"
    monkeypatch.undo()  # the checkpoint is back: switching the loop on again resumes it
    assert (await studio.editor.post(f"{API}/replenishment/toggle", params={"enabled": True})).status_code == 200
    await settled(runtime)
    assert len(await batch_sizes(runtime, hana["id"])) >= 2


class FlakyImages:
    """The embedded engine, but its second image fails once with a transient error (a backend restart)."""

    def __init__(self, inner: ImageEngine) -> None:
        self.inner, self.calls = inner, 0

    async def generate(self, request: ImageRequest) -> ImageResult:
        self.calls += 1
        if self.calls == 2:
            raise TransientEngineError("backend restarting")
        return await self.inner.generate(request)

    def parallel_prompts(self) -> int:
        return 1


async def test_a_retried_batch_ends_with_each_image_once(
    runtime: Runtime, studio: Studio, worker: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    hana = await human_character(studio)
    await configure(studio, LEAVE_PENDING, cooldown_seconds=0)
    flaky = FlakyImages(runtime.engines.image)
    monkeypatch.setattr(runtime.engines, "image", flaky)
    await start(studio, "hana", target=3)
    await settled(runtime)
    view = (await studio.reviewer.get(f"{API}/datasets/{hana['id']}")).json()
    indexes = sorted(item["provenance"]["replenishment_index"] for item in view["items"])
    assert indexes == [0, 1, 2] and flaky.calls > 3
    async with runtime.db.sessionmaker() as session:
        batch = await session.scalar(select(ReplenishmentBatch))
    assert batch is not None
    # A retry rewrites the same names, never a second copy (the media root outlives each test: match the batch).
    names = {p.name for p in runtime.paths.dataset_images("loop-hana", "hana").glob(f"hana_r{batch.id:05d}_*.png")}
    ours = {name for name in names if int(name.rsplit("_", 1)[1].removesuffix(".png")) - batch.seed in range(3)}
    assert len(ours) == 3
    async with runtime.db.sessionmaker() as session:
        generate = await session.scalar(select(Run).where(Run.kind == "replenish.generate"))
    assert generate is not None and generate.status == RunStatus.succeeded and generate.attempts >= 2, generate
