"""Fake engine servers on real localhost ports, and settings pointing the engines at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from anime_studio.config import Settings
from tests.engines.remote.media import make_png
from tests.fakes.acestep import FakeAceStep
from tests.fakes.jellyfin import FakeJellyfin
from tests.fakes.live import LiveServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI


@pytest.fixture
def ollama() -> Iterator[tuple[FakeOllama, str]]:
    fake = FakeOllama()
    with LiveServer(fake.app) as server:
        yield fake, server.url


@pytest.fixture
def openai() -> Iterator[tuple[FakeOpenAI, str]]:
    fake = FakeOpenAI()
    with LiveServer(fake.app) as server:
        yield fake, server.url + "/v1"


@pytest.fixture
def acestep() -> Iterator[tuple[FakeAceStep, str]]:
    fake = FakeAceStep(delay=0.3)
    with LiveServer(fake.app) as server:
        yield fake, server.url


@pytest.fixture
def jellyfin() -> Iterator[tuple[FakeJellyfin, str]]:
    fake = FakeJellyfin()
    with LiveServer(fake.app) as server:
        yield fake, server.url


@pytest.fixture
def settings_for(tmp_path: Path) -> Callable[..., Settings]:
    """``settings_for(**overrides)`` → Settings with a private data dir (library under it)."""

    def build(**overrides: object) -> Settings:
        return Settings(data_dir=tmp_path / "data", **overrides)  # type: ignore[arg-type]

    return build


@pytest.fixture
def character_png(tmp_path: Path) -> Path:
    return make_png(tmp_path / "character.png")
