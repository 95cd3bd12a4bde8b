"""A fake Jellyfin server: ``/System/Info``, ``POST /Library/Media/Updated``, ``POST /Library/Refresh``.

Authentication as Jellyfin parses it: ``Authorization: MediaBrowser key="value", …, Token="…"`` (401 without
a valid token); ``/Library/Refresh`` needs an administrator (403 otherwise); malformed update bodies get 400
ProblemDetails. Every call is recorded so tests can see what reached the server.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

_PAIR = re.compile(r'(\w+)="([^"]*)"')
UPDATE_TYPES = {"Created", "Modified", "Deleted"}


@dataclass
class Call:
    method: str
    path: str
    authorization: str
    body: Any = None


@dataclass
class FakeJellyfin:
    token: str = "jf-token"
    admin: bool = True
    media_updated_status: int = 204
    """Set to 404/500 to make the targeted update fail (the client must fall back to a full refresh)."""
    calls: list[Call] = field(default_factory=list)
    media_updates: list[dict[str, Any]] = field(default_factory=list)
    full_refreshes: int = 0

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route("/System/Info", self.system_info, methods=["GET"]),
                Route("/Library/Media/Updated", self.media_updated, methods=["POST"]),
                Route("/Library/Refresh", self.refresh, methods=["POST"]),
            ]
        )

    def authorised(self, request: Request) -> bool:
        """Jellyfin's rule: scheme ``MediaBrowser`` (or ``Emby``), comma-separated quoted pairs, a known Token.

        Jellyfin also takes the legacy ``X-Emby-Token`` header; tests check which form the client sent.
        """
        if request.headers.get("x-emby-token") == self.token:
            return True
        header = request.headers.get("authorization", "")
        scheme, _, rest = header.partition(" ")
        if scheme not in ("MediaBrowser", "Emby"):
            return False
        pairs = dict(_PAIR.findall(rest))
        return pairs.get("Token") == self.token

    async def _record(self, request: Request) -> Call:
        raw = await request.body()
        body: Any = None
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                body = raw.decode(errors="replace")
        call = Call(request.method, request.url.path, request.headers.get("authorization", ""), body)
        self.calls.append(call)
        return call

    async def system_info(self, request: Request) -> Response:
        await self._record(request)
        if not self.authorised(request):
            return Response(status_code=401)
        return JSONResponse(
            {
                "ServerName": "fake-jellyfin",
                "Version": "10.10.7",
                "Id": "f00dfeedf00dfeedf00dfeedf00dfeed",
                "OperatingSystem": "Linux",
                "ProductName": "Jellyfin Server",
                "StartupWizardCompleted": True,
            }
        )

    async def media_updated(self, request: Request) -> Response:
        call = await self._record(request)
        if not self.authorised(request):
            return Response(status_code=401)
        problem = _updates_problem(call.body, request.headers.get("content-type", ""))
        if problem:
            return JSONResponse(
                {"title": "One or more validation errors occurred.", "status": 400, "errors": {"dto": [problem]}},
                status_code=400,
                media_type="application/problem+json",
            )
        if self.media_updated_status != 204:
            return Response(status_code=self.media_updated_status)
        self.media_updates += call.body["Updates"]
        return Response(status_code=204)

    async def refresh(self, request: Request) -> Response:
        await self._record(request)
        if not self.authorised(request):
            return Response(status_code=401)
        if not self.admin:
            return Response(status_code=403)
        self.full_refreshes += 1
        return Response(status_code=204)


def _updates_problem(body: Any, content_type: str) -> str | None:
    if "json" not in content_type:
        return "Unsupported content type"
    if not isinstance(body, dict) or not isinstance(body.get("Updates"), list):
        return "The dto field is required (Updates)."
    for update in body["Updates"]:
        if not isinstance(update, dict) or not isinstance(update.get("Path"), str) or not update["Path"]:
            return "Item path can't be null."
        if update.get("UpdateType") not in UPDATE_TYPES:
            return f"Unknown UpdateType {update.get('UpdateType')!r}"
    return None
