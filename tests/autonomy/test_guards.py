"""The guards' order and the batch cut: which guard speaks first, and how big the next batch may be."""

from __future__ import annotations

import dataclasses

import pytest

from anime_studio.autonomy.guards import Limits, Snapshot, evaluate

LIMITS = Limits(
    enabled=True, cooldown_seconds=60, daily_limit=10, max_consecutive_rejects=5, pending_buffer=3, max_concurrent=2,
    batch_size=3,
)  # fmt: skip
FREE = Snapshot(
    active=True, target=20, approved=4, pending=0, generated_today=0, reject_streak=0, batch_in_flight=False,
    running_batches=0, cooldown_left=0.0,
)  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "state", "reason"),
    [
        ({"approved": 20, "reject_streak": 5}, "done", "target reached (20/20)"),
        ({"failed": "boom", "reject_streak": 5}, "paused", "last batch failed: boom"),
        ({"reject_streak": 5, "pending": 3}, "paused", "5 rejects in a row"),
        ({"batch_in_flight": True, "pending": 3}, "waiting", "batch in progress"),
        ({"pending": 3, "generated_today": 10}, "paused", "3 pending to review"),
        ({"pending": 2, "approved": 18}, "paused", "2 pending to review"),
        ({"generated_today": 10, "cooldown_left": 5.0}, "paused", "daily limit reached"),
        ({"cooldown_left": 41.6, "running_batches": 2}, "waiting", "cooldown 42 s"),
        ({"running_batches": 2}, "waiting", "2 batches running (max concurrent)"),
    ],
)
def test_the_first_guard_that_holds_says_why(changes: dict[str, object], state: str, reason: str) -> None:
    verdict = evaluate(dataclasses.replace(FREE, **changes), LIMITS)  # type: ignore[arg-type]
    assert (verdict.size, verdict.state, verdict.reason) == (0, state, reason)


def test_switched_off_or_without_target_nothing_happens() -> None:
    assert evaluate(FREE, dataclasses.replace(LIMITS, enabled=False)).reason == "loop is off"
    assert evaluate(dataclasses.replace(FREE, active=False), LIMITS).reason == "no target set"


@pytest.mark.parametrize(
    ("changes", "size"),
    [({}, 3), ({"approved": 18, "pending": 1}, 1), ({"generated_today": 8}, 2), ({"reject_streak": 4}, 1)],
)
def test_a_batch_never_goes_past_the_target_the_daily_limit_or_the_reject_limit(
    changes: dict[str, object], size: int
) -> None:
    verdict = evaluate(dataclasses.replace(FREE, **changes), LIMITS)  # type: ignore[arg-type]
    assert (verdict.state, verdict.size) == ("generate", size)


def test_a_cooldown_says_when_to_look_again() -> None:
    assert evaluate(dataclasses.replace(FREE, cooldown_left=12.5), LIMITS).retry_in == 12.5
