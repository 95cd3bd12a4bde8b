"""Session and CSRF cookies carry ``Secure`` whenever the studio is reached over HTTPS."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import uvicorn

from anime_studio.config import Settings
from anime_studio.deps import CSRF_COOKIE, SESSION_COOKIE
from tests.factories import API, PASSWORD, Studio
from tests.fakes.live import _free_port


def _cookie_flags(response: httpx.Response) -> dict[str, bool]:
    """Cookie name → whether its Set-Cookie line says Secure."""
    assert response.status_code in (200, 204), response.text
    lines = response.headers.get_list("set-cookie")
    return {line.split("=", 1)[0]: "secure" in line.lower().split("; ") for line in lines}


async def _login_and_logout(client: httpx.AsyncClient, **headers: str) -> list[dict[str, bool]]:
    login = await client.post(f"{API}/auth/login", json={"username": "eddie", "password": PASSWORD}, headers=headers)
    csrf = login.json()["csrf_token"]
    # Sent by hand: behind a TLS proxy the browser sends Secure cookies, though this hop is plain HTTP.
    cookie = f"{SESSION_COOKIE}={login.cookies[SESSION_COOKIE]}"
    client.cookies.clear()
    logout = await client.post(f"{API}/auth/logout", headers={**headers, "X-CSRF-Token": csrf, "Cookie": cookie})
    return [_cookie_flags(login), _cookie_flags(logout)]


BOTH_SECURE = [{SESSION_COOKIE: True, CSRF_COOKIE: True}] * 2
NEITHER_SECURE = [{SESSION_COOKIE: False, CSRF_COOKIE: False}] * 2


@asynccontextmanager
async def _served(app: Any, forwarded_allow_ips: str) -> AsyncIterator[httpx.AsyncClient]:
    """The app on a real loopback port, configured the way ``anime-studio serve`` configures uvicorn."""
    port = _free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        proxy_headers=True,
        forwarded_allow_ips=forwarded_allow_ips,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.01)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def test_plain_http_cookies_are_not_secure(client: httpx.AsyncClient, studio: Studio) -> None:
    assert await _login_and_logout(client) == NEITHER_SECURE


async def test_https_requests_get_secure_cookies(app: Any, studio: Studio) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://studio.test") as https:
        assert await _login_and_logout(https) == BOTH_SECURE


async def test_the_setting_forces_secure_cookies(
    client: httpx.AsyncClient, studio: Studio, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "cookie_secure", True)
    assert await _login_and_logout(client) == BOTH_SECURE


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [(lambda s: s.forwarded_allow_ips, BOTH_SECURE), (lambda s: "192.0.2.1", NEITHER_SECURE)],
    ids=["trusted-proxy", "untrusted-client"],
)
async def test_a_trusted_proxy_saying_https_makes_cookies_secure(
    app: Any, studio: Studio, settings: Settings, trusted: Callable[[Settings], str], expected: Any
) -> None:
    async with _served(app, trusted(settings)) as proxied:
        assert await _login_and_logout(proxied, **{"X-Forwarded-Proto": "https"}) == expected
