"""Login throttling: growing delays and lockout per account and per address, shared through the database."""

from __future__ import annotations

import asyncio
import logging
import statistics
import time
from collections import Counter
from collections.abc import AsyncIterator

import httpx
import pytest
from sqlalchemy import text

from anime_studio.auth import throttle
from anime_studio.config import Settings
from anime_studio.db.session import Database
from tests.factories import API, PASSWORD, Studio

LOGIN = f"{API}/auth/login"


async def _login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(LOGIN, json={"username": username, "password": password})


async def _wait_out_delays(db: Database) -> None:
    """Stand in for waiting: move every block into the past (failure counts stay)."""
    async with db.transaction() as session:
        await session.execute(text("UPDATE login_throttles SET blocked_until = now() - interval '1 second'"))


@pytest.fixture
async def remote(app: object) -> AsyncIterator[httpx.AsyncClient]:
    """A client calling from another address than the ``client`` fixture."""
    transport = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="http://studio.test") as c:
        yield c


async def test_failures_delay_then_lock_the_account_until_an_admin_lifts_it(
    client: httpx.AsyncClient, studio: Studio, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    failures, waits = 0, []
    with caplog.at_level(logging.WARNING, logger="anime_studio.auth.throttle"):
        while failures < 10:
            response = await _login(client, "eddie", "wrong password")
            if response.status_code == 401:
                failures += 1
                continue
            assert response.status_code == 429
            waits.append(int(response.headers["Retry-After"]))
            await _wait_out_delays(db)
    assert waits == [1, 2, 4, 8, 16, 32, 60]  # after the 3rd … 9th failure
    assert "failed login: account 'eddie', 10 recent failures" in caplog.text
    locked = await _login(client, "eddie", PASSWORD)  # even the right password is not checked now
    assert locked.status_code == 429 and "this account" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) == 15 * 60
    throttles = {t["scope"]: t for t in (await studio.admin.get(f"{API}/auth/login-throttles")).json()}
    assert (throttles["account"]["key"], throttles["account"]["failures"]) == ("eddie", 10)
    assert (throttles["address"]["key"], throttles["address"]["failures"]) == ("127.0.0.1", 10)
    assert (await studio.editor.get(f"{API}/auth/login-throttles")).status_code == 403
    assert (await studio.admin.delete(f"{API}/auth/login-throttles/{throttles['account']['id']}")).status_code == 204
    address = await _login(client, "eddie", PASSWORD)  # 10 failures from this address: its own short delay
    assert address.status_code == 429 and "your address" in address.json()["detail"]
    assert (await studio.admin.delete(f"{API}/auth/login-throttles/{throttles['address']['id']}")).status_code == 204
    assert (await _login(client, "eddie", PASSWORD)).status_code == 200


async def test_success_resets_the_account(client: httpx.AsyncClient, studio: Studio, db: Database) -> None:
    for _ in range(3):
        assert (await _login(client, "eddie", "wrong password")).status_code == 401
    await _wait_out_delays(db)
    assert (await _login(client, "eddie", PASSWORD)).status_code == 200
    for _ in range(2):  # counting starts again from zero: two free failures, no delay
        assert (await _login(client, "eddie", "wrong password")).status_code == 401
    throttles = (await studio.admin.get(f"{API}/auth/login-throttles")).json()
    assert [(t["scope"], t["failures"]) for t in throttles if t["scope"] == "account"] == [("account", 2)]


async def test_one_address_guessing_many_accounts_is_throttled_alone(
    client: httpx.AsyncClient, remote: httpx.AsyncClient, studio: Studio
) -> None:
    for n in range(10):  # unknown names count exactly like real ones
        assert (await _login(remote, f"user{n}", "guess")).status_code == 401
    refused = await _login(remote, "eddie", PASSWORD)
    assert refused.status_code == 429 and "your address" in refused.json()["detail"]
    assert (await _login(client, "eddie", PASSWORD)).status_code == 200  # other addresses are not affected
    throttles = (await studio.admin.get(f"{API}/auth/login-throttles")).json()
    assert {"scope": "address", "key": "203.0.113.9", "failures": 10}.items() <= next(
        t for t in throttles if t["scope"] == "address"
    ).items()


async def test_parallel_guesses_queue_behind_each_other(client: httpx.AsyncClient, studio: Studio) -> None:
    responses = await asyncio.gather(*(_login(client, "eddie", f"guess {n}") for n in range(20)))
    assert Counter(r.status_code for r in responses) == {401: 3, 429: 17}


async def test_unknown_users_take_as_long_as_known_ones(
    client: httpx.AsyncClient, studio: Studio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "login_free_failures", 100)
    monkeypatch.setattr(settings, "login_address_free_failures", 100)
    known, unknown = [], []
    for _ in range(4):
        for username, times in (("eddie", known), ("nobody-here", unknown)):
            started = time.perf_counter()
            assert (await _login(client, username, "wrong password")).status_code == 401
            times.append(time.perf_counter() - started)
    ratio = statistics.median(unknown) / statistics.median(known)
    print(f"login medians: known {statistics.median(known):.3f} s, unknown {statistics.median(unknown):.3f} s")
    assert 0.6 < ratio < 1.6, (known, unknown)


async def test_lifting_by_name_and_address(client: httpx.AsyncClient, studio: Studio, db: Database) -> None:
    for n in range(10):
        assert (await _login(client, "eddie", "wrong password")).status_code == 401
        if n < 9:
            await _wait_out_delays(db)
    assert (await _login(client, "eddie", "wrong password")).status_code == 429
    async with db.transaction() as session:  # what ``anime-studio users unlock EDDIE --address …`` does
        assert await throttle.lift(session=session, username="EDDIE", address="127.0.0.1") == 2
    assert (await _login(client, "eddie", PASSWORD)).status_code == 200
