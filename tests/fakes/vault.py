"""A fake HashiCorp Vault: the endpoints hvac calls for KV v2 reads, AppRole login and token lookup.

Tokens expire after their TTL (then every call answers 403 "permission denied", as Vault does); KV v2 keeps
versions, so a test can rotate a secret with ``put``.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


@dataclass
class Token:
    id: str
    ttl: float
    issued: float
    policies: list[str]

    def remaining(self) -> float:
        return self.ttl - (time.monotonic() - self.issued) if self.ttl else 0.0

    def expired(self) -> bool:
        return bool(self.ttl) and self.remaining() <= 0


class FakeVault:
    def __init__(self, *, root_token: str = "hvs.root", mount: str = "secret") -> None:
        self.mount = mount
        self.tokens: dict[str, Token] = {root_token: Token(root_token, 0, time.monotonic(), ["root"])}
        self.roles: dict[str, tuple[str, float]] = {}  # role_id -> (secret_id, token ttl)
        self.versions: dict[str, list[dict[str, Any]]] = {}
        self.logins = 0
        self.reads = 0
        self.app = Starlette(
            routes=[
                Route("/v1/auth/approle/login", self.approle_login, methods=["POST"]),
                Route("/v1/auth/token/lookup-self", self.lookup_self, methods=["GET"]),
                Route("/v1/{mount}/data/{path:path}", self.kv_read, methods=["GET"]),
                Route("/v1/sys/health", self.health, methods=["GET"]),
            ]
        )

    def put(self, path: str, data: dict[str, Any]) -> None:
        self.versions.setdefault(path, []).append(dict(data))

    def add_role(self, role_id: str, secret_id: str, *, ttl: float) -> None:
        self.roles[role_id] = (secret_id, ttl)

    def _token(self, request: Request) -> Token | Response:
        token = self.tokens.get(request.headers.get("x-vault-token", ""))
        if token is None or token.expired():
            return _errors(403, "permission denied")
        return token

    async def approle_login(self, request: Request) -> Response:
        body = await request.json()
        role = self.roles.get(str(body.get("role_id", "")))
        if role is None or role[0] != body.get("secret_id"):
            return _errors(400, "invalid role or secret ID")
        self.logins += 1
        token = Token(f"hvs.{secrets.token_urlsafe(18)}", role[1], time.monotonic(), ["default", "anime-studio"])
        self.tokens[token.id] = token
        auth = {
            "client_token": token.id,
            "accessor": secrets.token_urlsafe(12),
            "policies": token.policies,
            "token_policies": token.policies,
            "metadata": {"role_name": "anime-studio"},
            "lease_duration": int(token.ttl),
            "renewable": True,
            "entity_id": "",
            "token_type": "service",
            "orphan": True,
        }
        return JSONResponse(_envelope(None, auth=auth))

    async def lookup_self(self, request: Request) -> Response:
        token = self._token(request)
        if isinstance(token, Response):
            return token
        data = {
            "id": token.id,
            "policies": token.policies,
            "ttl": int(token.remaining()),
            "creation_ttl": int(token.ttl),
            "renewable": bool(token.ttl),
            "type": "service",
        }
        return JSONResponse(_envelope(data))

    async def kv_read(self, request: Request) -> Response:
        token = self._token(request)
        if isinstance(token, Response):
            return token
        if request.path_params["mount"] != self.mount:
            return _errors(403, "permission denied")
        versions = self.versions.get(request.path_params["path"])
        if not versions:
            return _errors(404)
        self.reads += 1
        wanted = int(request.query_params.get("version") or len(versions))
        if not 1 <= wanted <= len(versions):
            return _errors(404)
        created = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        metadata = {"created_time": created, "custom_metadata": None, "deletion_time": "", "destroyed": False}
        return JSONResponse(_envelope({"data": versions[wanted - 1], "metadata": {**metadata, "version": wanted}}))

    async def health(self, request: Request) -> Response:
        return JSONResponse({"initialized": True, "sealed": False, "standby": False, "version": "1.17.0"})


def _envelope(data: Any, *, auth: Any = None) -> dict[str, Any]:
    return {
        "request_id": secrets.token_hex(8),
        "lease_id": "",
        "renewable": False,
        "lease_duration": 0,
        "data": data,
        "wrap_info": None,
        "warnings": None,
        "auth": auth,
        "mount_type": "kv" if data is not None else "",
    }


def _errors(status: int, *messages: str) -> Response:
    return JSONResponse({"errors": list(messages)}, status_code=status)
