"""Test factories: plain async functions that build data through the API or the services."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

from anime_studio.auth import service as auth_service
from anime_studio.auth.models import Role
from anime_studio.db.session import Database

PASSWORD = "correct horse battery"


async def make_user(db: Database, username: str, role: Role) -> str:
    """Create a user and return a Bearer API token for it."""
    async with db.transaction() as session:
        user = await auth_service.create_user(session=session, username=username, password=PASSWORD, role=role)
        _, token = await auth_service.create_api_token(session=session, user=user, name="tests")
    return token


@dataclass
class As:
    """An HTTP client bound to one user's token."""

    client: httpx.AsyncClient
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.client.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)


@dataclass
class Studio:
    client: httpx.AsyncClient
    db: Database
    admin: As
    editor: As
    reviewer: As

    @classmethod
    async def create(cls, client: httpx.AsyncClient, db: Database) -> Studio:
        return cls(
            client=client,
            db=db,
            admin=As(client, await make_user(db, "root", Role.admin)),
            editor=As(client, await make_user(db, "eddie", Role.editor)),
            reviewer=As(client, await make_user(db, "rita", Role.reviewer)),
        )


API = "/api/lora"


async def create_project(user: As, **fields: Any) -> dict[str, Any]:
    response = await user.post(f"{API}/projects", json={"name": "Test Show", **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def create_character(user: As, project_id: int, **fields: Any) -> dict[str, Any]:
    body = {"name": "Hana", "design_prompt": "1girl, short black hair, yellow raincoat", **fields}
    response = await user.post(f"{API}/projects/{project_id}/characters", json=body)
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data
