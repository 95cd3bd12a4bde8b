"""Login with cookies + CSRF, API tokens, user administration, the first admin."""

from __future__ import annotations

import httpx

from anime_studio.auth import service, throttle
from anime_studio.config import Settings
from anime_studio.db.session import Database
from tests.factories import API, PASSWORD, Studio

POLICIES = throttle.policies(Settings())


async def _login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    return await client.post(f"{API}/auth/login", json={"username": username, "password": password})


async def test_login_sets_http_only_session_cookie_and_returns_csrf(client: httpx.AsyncClient, studio: Studio) -> None:
    response = await _login(client, "eddie")
    assert response.status_code == 200
    assert response.json()["user"]["role"] == "editor"
    cookies = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookies if c.startswith("anime_studio_session="))
    assert "HttpOnly" in session_cookie and "SameSite=lax" in session_cookie
    me = await client.get(f"{API}/auth/me")
    assert me.status_code == 200 and me.json()["user"]["username"] == "eddie"


async def test_cookie_writes_need_the_csrf_header(client: httpx.AsyncClient, studio: Studio) -> None:
    csrf = (await _login(client, "eddie")).json()["csrf_token"]
    without = await client.post(f"{API}/projects", json={"name": "A"})
    assert without.status_code == 403 and "CSRF" in without.json()["detail"]
    wrong = await client.post(f"{API}/projects", json={"name": "A"}, headers={"X-CSRF-Token": "nope"})
    assert wrong.status_code == 403
    right = await client.post(f"{API}/projects", json={"name": "A"}, headers={"X-CSRF-Token": csrf})
    assert right.status_code == 201


async def test_wrong_password_and_unknown_user_look_the_same(client: httpx.AsyncClient, studio: Studio) -> None:
    wrong = await _login(client, "eddie", "not the password")
    unknown = await _login(client, "nobody", "whatever")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


async def test_logout_ends_the_session(client: httpx.AsyncClient, studio: Studio) -> None:
    csrf = (await _login(client, "eddie")).json()["csrf_token"]
    assert (await client.post(f"{API}/auth/logout", headers={"X-CSRF-Token": csrf})).status_code == 204
    assert (await client.get(f"{API}/auth/me")).status_code == 401


async def test_api_tokens_can_be_created_used_and_revoked(client: httpx.AsyncClient, studio: Studio) -> None:
    created = await studio.editor.post(f"{API}/auth/tokens", json={"name": "script"})
    assert created.status_code == 201
    token = created.json()["token"]
    assert token.startswith("ast_")
    headers = {"Authorization": f"Bearer {token}"}
    assert (await client.get(f"{API}/projects", headers=headers)).status_code == 200
    listed = (await studio.editor.get(f"{API}/auth/tokens")).json()
    assert {t["name"] for t in listed} == {"tests", "script"}
    assert all("token" not in t for t in listed)
    revoke = await studio.editor.delete(f"{API}/auth/tokens/{created.json()['id']}")
    assert revoke.status_code == 204
    assert (await client.get(f"{API}/projects", headers=headers)).status_code == 401


async def test_cannot_revoke_someone_elses_token(studio: Studio) -> None:
    created = (await studio.editor.post(f"{API}/auth/tokens", json={"name": "mine"})).json()
    assert (await studio.reviewer.delete(f"{API}/auth/tokens/{created['id']}")).status_code == 404


async def test_invalid_bearer_token_is_401(client: httpx.AsyncClient, studio: Studio) -> None:
    response = await client.get(f"{API}/projects", headers={"Authorization": "Bearer ast_forged"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


async def test_admin_manages_users(client: httpx.AsyncClient, studio: Studio) -> None:
    created = await studio.admin.post(f"{API}/users", json={"username": "newbie", "password": "long enough pw"})
    assert created.status_code == 201 and created.json()["role"] == "editor"
    duplicate = await studio.admin.post(f"{API}/users", json={"username": "NEWBIE", "password": "long enough pw"})
    assert duplicate.status_code == 409
    user_id = created.json()["id"]
    demoted = await studio.admin.patch(f"{API}/users/{user_id}", json={"role": "reviewer"})
    assert demoted.json()["role"] == "reviewer"
    await studio.admin.patch(f"{API}/users/{user_id}", json={"is_active": False})
    assert (await _login(client, "newbie", "long enough pw")).status_code == 401


async def test_the_last_admin_cannot_be_demoted(studio: Studio) -> None:
    users = (await studio.admin.get(f"{API}/users")).json()
    root = next(u for u in users if u["username"] == "root")
    response = await studio.admin.patch(f"{API}/users/{root['id']}", json={"role": "editor"})
    assert response.status_code == 422
    assert "admin" in response.json()["detail"]


async def test_short_passwords_are_refused(studio: Studio) -> None:
    response = await studio.admin.post(f"{API}/users", json={"username": "shorty", "password": "short"})
    assert response.status_code == 422


async def test_change_own_password(client: httpx.AsyncClient, studio: Studio) -> None:
    wrong = await studio.editor.put(
        f"{API}/auth/password", json={"current_password": "nope", "new_password": "a brand new pw"}
    )
    assert wrong.status_code == 422
    ok = await studio.editor.put(
        f"{API}/auth/password", json={"current_password": PASSWORD, "new_password": "a brand new pw"}
    )
    assert ok.status_code == 204
    assert (await _login(client, "eddie", "a brand new pw")).status_code == 200


async def test_initial_admin_is_created_once(db: Database) -> None:
    async with db.transaction() as session:
        first = await service.ensure_initial_admin(session=session)
    async with db.transaction() as session:
        second = await service.ensure_initial_admin(session=session)
    assert first is not None and first[0] == "admin" and len(first[1]) >= 16
    assert second is None
    async with db.transaction() as session:
        user = await service.authenticate(
            session=session, username="admin", password=first[1], address="127.0.0.1", policies=POLICIES
        )
    assert user is not None and user.role == "admin"


async def test_a_password_reset_revokes_the_users_api_tokens(client: httpx.AsyncClient, studio: Studio) -> None:
    script = (await studio.editor.post(f"{API}/auth/tokens", json={"name": "script"})).json()["token"]
    eddie = next(u for u in (await studio.admin.get(f"{API}/users")).json() if u["username"] == "eddie")
    reset = await studio.admin.patch(f"{API}/users/{eddie['id']}", json={"password": "reset by the admin"})
    assert reset.status_code == 200
    assert (await client.get(f"{API}/projects", headers={"Authorization": f"Bearer {script}"})).status_code == 401
    assert (await studio.editor.get(f"{API}/projects")).status_code == 401
    assert (await studio.admin.get(f"{API}/projects")).status_code == 200  # other users keep theirs
