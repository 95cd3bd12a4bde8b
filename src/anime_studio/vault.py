"""Secrets from HashiCorp Vault (KV v2) when ``ANIME_STUDIO_VAULT_ADDR`` is set: the database URL and engine tokens.

Authentication is a token or AppRole. Values read from Vault take precedence over the environment and ``.env``
(but not over settings passed in code). They are re-read when the Vault token nears the end of its TTL, or after
``VAULT_REFRESH_SECONDS``, whichever comes first; a fresh AppRole login replaces an expiring token. Secret values
are never logged: messages name the keys and the path only.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource

log = logging.getLogger(__name__)

# The only settings Vault may provide: credentials, not behaviour.
SECRET_FIELDS = ("database_url", "openai_api_key", "acestep_api_key", "jellyfin_token")
VAULT_FIELDS = (
    "vault_addr",
    "vault_token",
    "vault_role_id",
    "vault_secret_id",
    "vault_mount",
    "vault_path",
    "vault_namespace",
    "vault_timeout",
    "vault_refresh_seconds",
)
# Re-read this long before the token expires, so a request never carries an expired token.
EXPIRY_MARGIN = 0.2


class VaultError(RuntimeError):
    """Vault could not be reached, refused the credentials, or lacks the secret (the message names no secret)."""


@dataclass
class VaultConfig:
    addr: str
    token: str = ""
    role_id: str = ""
    secret_id: str = ""
    mount: str = "secret"
    path: str = "anime-studio"
    namespace: str = ""
    timeout: float = 10.0
    refresh_seconds: float = 300.0

    @classmethod
    def from_values(cls, values: dict[str, Any]) -> VaultConfig | None:
        addr = str(values.get("vault_addr") or "").strip()
        if not addr:
            return None
        text = {n.removeprefix("vault_"): str(values[n]) for n in VAULT_FIELDS if values.get(n) not in (None, "")}
        return cls(
            addr=addr,
            token=text.get("token", ""),
            role_id=text.get("role_id", ""),
            secret_id=text.get("secret_id", ""),
            mount=text.get("mount", "secret"),
            path=text.get("path", "anime-studio"),
            namespace=text.get("namespace", ""),
            timeout=float(text.get("timeout", 10.0)),
            refresh_seconds=float(text.get("refresh_seconds", 300.0)),
        )


@dataclass
class VaultSecrets:
    """One Vault session: logs in, reads the studio's KV v2 secret, knows when to read it again."""

    config: VaultConfig
    token_expires: float | None = None
    secrets: dict[str, str] = field(default_factory=dict)
    read_at: float = 0.0
    logins: int = 0

    def _client(self, token: str | None = None) -> Any:
        import hvac

        return hvac.Client(
            url=self.config.addr,
            token=token,
            timeout=self.config.timeout,
            namespace=self.config.namespace or None,
        )

    def _login(self) -> Any:
        import hvac.exceptions
        import requests

        try:
            if self.config.role_id:
                client = self._client()
                answer = client.auth.approle.login(role_id=self.config.role_id, secret_id=self.config.secret_id or None)
                ttl = float(answer["auth"].get("lease_duration") or 0)
            elif self.config.token:
                client = self._client(self.config.token)
                ttl = float(client.auth.token.lookup_self()["data"].get("ttl") or 0)
            else:
                raise VaultError("set ANIME_STUDIO_VAULT_TOKEN or ANIME_STUDIO_VAULT_ROLE_ID (+ VAULT_SECRET_ID)")
        except (hvac.exceptions.VaultError, requests.RequestException) as error:
            raise VaultError(f"Vault login at {self.config.addr} failed ({type(error).__name__})") from None
        self.logins += 1
        self.token_expires = time.monotonic() + ttl if ttl > 0 else None  # ttl 0: a root token never expires
        return client

    def read(self) -> dict[str, str]:
        """Log in and read the secret; only the keys the studio knows are kept."""
        import hvac.exceptions
        import requests

        client = self._login()
        try:
            answer = client.secrets.kv.v2.read_secret_version(
                path=self.config.path, mount_point=self.config.mount, raise_on_deleted_version=True
            )
        except hvac.exceptions.InvalidPath:
            raise VaultError(f"Vault has no secret at {self.config.mount}/{self.config.path}") from None
        except (hvac.exceptions.VaultError, requests.RequestException) as error:
            place = f"{self.config.mount}/{self.config.path}"
            raise VaultError(f"reading {place} from Vault failed ({type(error).__name__})") from None
        data = answer.get("data", {}).get("data") or {}
        self.secrets = {k: str(v) for k, v in data.items() if k in SECRET_FIELDS and v not in (None, "")}
        self.read_at = time.monotonic()
        log.info(
            "read %s from Vault %s/%s",
            ", ".join(sorted(self.secrets)) or "nothing",
            self.config.mount,
            self.config.path,
        )
        return self.secrets

    def due_in(self) -> float:
        """Seconds until the secret should be read again."""
        now = time.monotonic()
        due = self.read_at + self.config.refresh_seconds
        if self.token_expires is not None:
            lifetime = self.token_expires - self.read_at
            due = min(due, self.token_expires - EXPIRY_MARGIN * lifetime)
        return max(0.0, due - now)


class VaultSettingsSource(PydanticBaseSettingsSource):
    """A settings source placed after the values passed in code: Vault's secrets beat the environment."""

    def __init__(self, settings_cls: type[BaseSettings], *lower: PydanticBaseSettingsSource, init: dict[str, Any]):
        super().__init__(settings_cls)
        self.lower = lower
        self.init = init

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # everything happens in __call__

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for source in reversed(self.lower):  # the environment beats .env
            values.update({k: v for k, v in source().items() if k in VAULT_FIELDS})
        values.update({k: v for k, v in self.init.items() if k in VAULT_FIELDS})
        config = VaultConfig.from_values(values)
        if config is None:
            return {}
        secrets = VaultSecrets(config).read()
        return {k: v for k, v in secrets.items() if k not in self.init}


async def keep_fresh(settings: BaseSettings, on_change: Callable[[set[str]], None]) -> None:
    """Re-read Vault when due; put changed engine tokens into ``settings`` and tell ``on_change`` which changed.

    A changed database URL is not swapped under open connections: it is used from the next start (a warning says
    so). A failing Vault keeps the last good values and is retried.
    """
    config = VaultConfig.from_values(settings.model_dump(include=set(VAULT_FIELDS)))
    if config is None:
        return
    session = VaultSecrets(config)
    while True:
        try:
            fresh = await asyncio.to_thread(session.read)
        except VaultError as error:
            log.warning("%s; keeping the current secrets and retrying", error)
            await asyncio.sleep(min(30.0, config.refresh_seconds))
            continue
        changed = {name for name, value in fresh.items() if getattr(settings, name) != value}
        if "database_url" in changed:
            log.warning("the database URL in Vault changed; the studio uses it from its next start")
        swapped = changed - {"database_url"}
        for name in swapped:
            setattr(settings, name, fresh[name])
        if swapped:
            log.info("Vault rotated %s", ", ".join(sorted(swapped)))
            on_change(swapped)
        await asyncio.sleep(session.due_in())
