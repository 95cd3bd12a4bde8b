"""The live-server helper really serves, stops and restarts on the same port."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.live import LiveServer


async def _ping(_: object) -> JSONResponse:
    return JSONResponse({"pong": True})


def test_live_server_serves_stops_and_restarts() -> None:
    app = Starlette(routes=[Route("/ping", _ping)])
    server = LiveServer(app).start()
    try:
        assert httpx.get(f"{server.url}/ping").json() == {"pong": True}
        server.stop()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.url}/ping", timeout=1)
        server.start()
        assert httpx.get(f"{server.url}/ping").status_code == 200
    finally:
        server.stop()
