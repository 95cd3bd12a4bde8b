"""Runs end to end on a real Procrastinate worker: success, progress events, failures, retry, cancel."""

from __future__ import annotations

import asyncio

from anime_studio.events.bus import get_bus
from anime_studio.jobs.models import RunStatus
from anime_studio.runtime import Runtime
from tests.factories import API, Studio
from tests.jobs.conftest import EnqueueFn, wait_for


async def test_run_succeeds_and_publishes_its_lifecycle(runtime: Runtime, worker: object, enqueue: EnqueueFn) -> None:
    async with get_bus().subscribe("run.") as events:
        run_id = await enqueue("test.echo", greeting="hello")
        run = await wait_for(runtime, run_id)
        seen: list[tuple[str, float]] = []
        while not events.queue.empty():
            event = events.queue.get_nowait()
            if event.data["run_id"] == run_id:
                seen.append((event.name, event.data["progress"]))
    assert run.status == RunStatus.succeeded and run.progress == 1.0
    assert run.result == {"echo": {"greeting": "hello"}, "attempt": 1}
    assert [name for name, _ in seen] == ["run.queued", "run.started", "run.progress", "run.finished"]
    assert seen[2][1] == 0.5


async def test_permanent_failure_keeps_the_message(runtime: Runtime, worker: object, enqueue: EnqueueFn) -> None:
    run = await wait_for(runtime, await enqueue("test.fail"))
    assert run.status == RunStatus.failed and run.attempts == 1
    assert run.error == "checkpoint 'missing.safetensors' is not installed"


async def test_unexpected_exception_is_reported_not_hidden(
    runtime: Runtime, worker: object, enqueue: EnqueueFn
) -> None:
    run = await wait_for(runtime, await enqueue("test.crash"))
    assert run.status == RunStatus.failed and run.error == "internal error: ValueError: boom"


async def test_transient_errors_retry_with_backoff(runtime: Runtime, worker: object, enqueue: EnqueueFn) -> None:
    run = await wait_for(runtime, await enqueue("test.flaky", succeed_on=3))
    assert run.status == RunStatus.succeeded and run.attempts == 3 and run.result == {"attempt": 3}


async def test_transient_errors_give_up_after_max_attempts(
    runtime: Runtime, worker: object, enqueue: EnqueueFn
) -> None:
    run = await wait_for(runtime, await enqueue("test.flaky", succeed_on=99))
    assert run.status == RunStatus.failed and run.attempts == 3
    assert run.error is not None and run.error.startswith("gave up after 3 attempts: backend busy")


async def test_cancel_a_queued_run(runtime: Runtime, studio: Studio, enqueue: EnqueueFn) -> None:
    run_id = await enqueue("test.sleep", seconds=5)
    response = await studio.editor.post(f"{API}/jobs/{run_id}/cancel")
    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    again = await studio.editor.post(f"{API}/jobs/{run_id}/cancel")
    assert again.status_code == 409


async def test_cancel_a_running_run(runtime: Runtime, worker: object, studio: Studio, enqueue: EnqueueFn) -> None:
    run_id = await enqueue("test.sleep", seconds=20)
    await wait_for(runtime, run_id, RunStatus.running)
    started = asyncio.get_running_loop().time()
    assert (await studio.editor.post(f"{API}/jobs/{run_id}/cancel")).status_code == 200
    run = await wait_for(runtime, run_id, RunStatus.cancelled, timeout=10)
    assert asyncio.get_running_loop().time() - started < 5
    assert run.progress < 1.0


async def test_retry_a_failed_run(runtime: Runtime, worker: object, studio: Studio, enqueue: EnqueueFn) -> None:
    run_id = await enqueue("test.fail")
    await wait_for(runtime, run_id)
    response = await studio.editor.post(f"{API}/jobs/{run_id}/retry")
    assert response.status_code == 200 and response.json()["status"] == "queued"
    run = await wait_for(runtime, run_id)
    assert run.status == RunStatus.failed and run.attempts == 1
    running = await enqueue("test.sleep", seconds=3)
    await wait_for(runtime, running, RunStatus.running)
    assert (await studio.editor.post(f"{API}/jobs/{running}/retry")).status_code == 409


async def test_jobs_api_lists_and_filters(runtime: Runtime, worker: object, studio: Studio, enqueue: EnqueueFn) -> None:
    ok = await enqueue("test.echo")
    bad = await enqueue("test.fail")
    await wait_for(runtime, ok)
    await wait_for(runtime, bad)
    listed = (await studio.reviewer.get(f"{API}/jobs")).json()
    assert [r["id"] for r in listed["items"]] == [bad, ok] and listed["total"] == 2
    failed = (await studio.reviewer.get(f"{API}/jobs", params={"status": "failed"})).json()
    assert [r["id"] for r in failed["items"]] == [bad]
    by_kind = (await studio.reviewer.get(f"{API}/jobs", params={"kind": "test.echo"})).json()
    assert [r["id"] for r in by_kind["items"]] == [ok]
    one = (await studio.reviewer.get(f"{API}/jobs/{ok}")).json()
    assert one["status"] == "succeeded" and one["result"]["echo"] == {}
    assert (await studio.reviewer.get(f"{API}/jobs/9999")).status_code == 404
    assert (await studio.reviewer.get(f"{API}/jobs", params={"status": "bogus"})).status_code == 422
    assert (await studio.reviewer.post(f"{API}/jobs/{ok}/cancel")).status_code == 403


async def test_unknown_kind_is_refused(runtime: Runtime, enqueue: EnqueueFn) -> None:
    from anime_studio.errors import Invalid

    try:
        await enqueue("no.such.kind")
    except Invalid as error:
        assert "unknown run kind" in str(error)
    else:
        raise AssertionError("expected Invalid")
