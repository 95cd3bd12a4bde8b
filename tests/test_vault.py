"""Vault: database URL and engine tokens from KV v2 (token or AppRole), refreshed before the token expires,
never returned by a route nor written to a log. Against a fake Vault speaking the real HTTP API hvac uses."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import httpx
import pytest

from anime_studio.app import create_app
from anime_studio.auth.models import Role
from anime_studio.config import Settings
from anime_studio.db.session import Database
from anime_studio.vault import VaultConfig, VaultError, VaultSecrets, keep_fresh
from tests.factories import make_user
from tests.fakes.live import LiveServer
from tests.fakes.vault import FakeVault

OPENAI_KEY = "sk-vault-only-7f3a9c"
ACESTEP_KEY = "ace-vault-only-19bd"


@pytest.fixture
def vault() -> Iterator[tuple[FakeVault, str]]:
    fake = FakeVault()
    fake.put("anime-studio", {"openai_api_key": OPENAI_KEY, "acestep_api_key": ACESTEP_KEY, "llm_engine": "openai"})
    with LiveServer(fake.app) as server:
        yield fake, server.url


@pytest.fixture(autouse=True)
def _no_vault_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ADDR", "TOKEN", "ROLE_ID", "SECRET_ID"):
        monkeypatch.delenv(f"ANIME_STUDIO_VAULT_{name}", raising=False)


def test_token_auth_reads_the_secret_and_code_beats_vault(vault: tuple[FakeVault, str]) -> None:
    _, url = vault
    settings = Settings(vault_addr=url, vault_token="hvs.root", _env_file=None)  # type: ignore[call-arg]
    assert (settings.openai_api_key, settings.acestep_api_key) == (OPENAI_KEY, ACESTEP_KEY)
    assert settings.llm_engine == "rules"  # Vault provides credentials only, never behaviour
    pinned = Settings(vault_addr=url, vault_token="hvs.root", openai_api_key="mine", _env_file=None)  # type: ignore[call-arg]
    assert pinned.openai_api_key == "mine" and pinned.acestep_api_key == ACESTEP_KEY
    assert OPENAI_KEY not in repr(settings) and "hvs.root" not in repr(settings)


def test_the_environment_turns_vault_on(vault: tuple[FakeVault, str], monkeypatch: pytest.MonkeyPatch) -> None:
    _, url = vault
    monkeypatch.setenv("ANIME_STUDIO_VAULT_ADDR", url)
    monkeypatch.setenv("ANIME_STUDIO_VAULT_TOKEN", "hvs.root")
    monkeypatch.setenv("ANIME_STUDIO_OPENAI_API_KEY", "from-the-environment")
    assert Settings(_env_file=None).openai_api_key == OPENAI_KEY  # type: ignore[call-arg]


def test_bad_credentials_and_missing_secrets_say_so_without_secrets(
    vault: tuple[FakeVault, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, url = vault
    with pytest.raises(VaultError, match=r"login .* failed") as bad:
        Settings(vault_addr=url, vault_token="hvs.wrong-token", _env_file=None)  # type: ignore[call-arg]
    assert "hvs.wrong-token" not in str(bad.value)
    with pytest.raises(VaultError, match="no secret at secret/elsewhere"):
        Settings(vault_addr=url, vault_token="hvs.root", vault_path="elsewhere", _env_file=None)  # type: ignore[call-arg]
    assert "hvs.wrong-token" not in caplog.text and OPENAI_KEY not in caplog.text


async def test_approle_tokens_are_renewed_and_rotated_secrets_picked_up(
    vault: tuple[FakeVault, str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    fake, url = vault
    fake.add_role("studio-role", "studio-secret-id", ttl=2)
    settings = Settings(vault_addr=url, vault_role_id="studio-role", vault_secret_id="studio-secret-id", _env_file=None)  # type: ignore[call-arg]
    assert settings.openai_api_key == OPENAI_KEY and fake.logins == 1
    session = VaultSecrets(VaultConfig.from_values(settings.model_dump()))  # type: ignore[arg-type]
    session.read()
    assert 1.0 < session.due_in() <= 1.6  # before the 2 s token expires
    changed: list[set[str]] = []
    refresher = asyncio.create_task(keep_fresh(settings, changed.append))
    try:
        await asyncio.sleep(0.3)
        fake.put("anime-studio", {"openai_api_key": "sk-rotated-55e1", "acestep_api_key": ACESTEP_KEY})
        for _ in range(50):
            if changed:
                break
            await asyncio.sleep(0.1)
    finally:
        refresher.cancel()
        with pytest.raises(asyncio.CancelledError):
            await refresher
    assert changed == [{"openai_api_key"}] and settings.openai_api_key == "sk-rotated-55e1"
    assert fake.logins >= 4  # the first settings, the session above, the refresher's start and its renewal
    for secret in (OPENAI_KEY, "sk-rotated-55e1", "studio-secret-id", ACESTEP_KEY):
        assert secret not in caplog.text


async def test_vault_sourced_settings_start_the_studio_and_no_route_or_log_shows_a_secret(
    vault: tuple[FakeVault, str],
    database_url: str,
    db: Database,
    settings: Settings,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake, url = vault
    # The embedded server trusts its socket, so a password in the URL is carried but not needed.
    secret_url = database_url.replace("postgres@", "postgres:db-pass-4be0@")
    fake.put("anime-studio", {"database_url": secret_url, "openai_api_key": OPENAI_KEY, "acestep_api_key": ACESTEP_KEY})
    studio_settings = Settings(
        vault_addr=url,
        vault_token="hvs.root",
        data_dir=settings.data_dir,
        media_root=settings.media_root,
        ui_dir=None,
        embedded_worker=False,
        llm_engine="openai",  # its status call carries the Vault key: the engines route must not echo it
        openai_base_url="http://127.0.0.1:9/v1",
        _env_file=None,  # type: ignore[call-arg]
    )
    assert studio_settings.database_url == secret_url
    token = await make_user(db, "vaulted", Role.admin)
    app = create_app(studio_settings)  # no URL passed: the lifespan connects with Vault's
    secrets = (OPENAI_KEY, ACESTEP_KEY, "db-pass-4be0", "hvs.root")
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://studio") as client:
            headers = {"Authorization": f"Bearer {token}"}
            assert (await client.get("/api/lora/health")).status_code == 200
            documented = app.openapi()["paths"]
            routes = [p for p, ops in documented.items() if "get" in ops and "{" not in p and not p.endswith("/events")]
            assert "/api/lora/engines" in routes and len(routes) > 15
            for path in routes:
                response = await client.get(path, headers=headers)
                assert response.status_code < 500, (path, response.text)
                assert not any(s in response.text for s in secrets), path
    assert not any(s in caplog.text for s in secrets)
