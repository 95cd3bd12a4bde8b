"""Settings: every knob of the studio, read from ``ANIME_STUDIO_*`` environment variables or ``.env``."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import platformdirs
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

MiB = 1024 * 1024


def _default_data_dir() -> Path:
    return platformdirs.user_data_path("anime-studio", appauthor=False)


class Settings(BaseSettings):
    """The studio's configuration; the README's configuration table mirrors these fields."""

    model_config = SettingsConfigDict(env_prefix="ANIME_STUDIO_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    database_url: str | None = None
    media_root: Path | None = None

    host: str = "127.0.0.1"
    port: int = Field(default=8401, ge=1, le=65535)
    root_path: str = ""
    ui_dir: Path | None = None

    max_json_body: int = Field(default=2 * MiB, ge=1024)
    max_upload_body: int = Field(default=200 * MiB, ge=1024)
    session_ttl_hours: int = Field(default=24 * 14, ge=1)
    cookie_secure: bool = False

    worker_concurrency: int = Field(default=2, ge=1, le=64)

    @field_validator("root_path")
    @classmethod
    def _normalise_root_path(cls, value: str) -> str:
        value = value.strip()
        if not value or value == "/":
            return ""
        return "/" + value.strip("/")

    @property
    def media_dir(self) -> Path:
        """Root folder of every file the studio writes (datasets, outputs, uploads)."""
        return (self.media_root or self.data_dir / "media").resolve()

    @property
    def pgdata_dir(self) -> Path:
        return self.data_dir / "pgdata"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
