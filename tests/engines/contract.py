"""What the per-kind contract suites share: the implementations under test and the fake servers they talk to.

Each suite (``test_contract_<kind>.py``) lists its implementations as ``Impl`` values: how to build the engine
from ``Backends`` (fake servers on localhost ports and a scratch folder), which fake server it needs (``served``)
and whether it promises identical output for identical requests. ``impl_params`` turns the table, or a subset
(``remote``, ``deterministic``), into pytest parameters of the suite's ``impl`` fixture; ``tests/engines/
conftest.py`` builds ``engine`` from it against one fake server of each kind per module. ``assert_status`` and
``assert_down_is_transient`` are the checks every kind shares.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, Literal, Protocol, TypeVar

import pytest

from anime_studio.config import Settings
from anime_studio.engines.base import EngineStatus, Kind, TransientEngineError
from anime_studio.engines.comfyui.pool import ComfyPool
from tests.engines.comfyui.conftest import MODELS
from tests.fakes.acestep import FakeAceStep
from tests.fakes.comfyui import FakeComfyUI
from tests.fakes.jellyfin import FakeJellyfin
from tests.fakes.live import LiveServer
from tests.fakes.ollama import FakeOllama
from tests.fakes.openai import FakeOpenAI

Server = Literal["ollama", "openai", "acestep", "jellyfin", "comfyui"]
E = TypeVar("E")


class Engine(Protocol):
    """What every engine kind shares."""

    name: str

    async def status(self) -> EngineStatus: ...


S = TypeVar("S", bound=Engine)

COMFY_MODELS: dict[str, Iterable[str]] = dict(MODELS)
"""Every model file the ComfyUI engines' default workflows load."""
COMFY_POOL_OPTIONS: dict[str, Any] = {"poll_interval": 0.2, "unreachable_grace": 0.3, "timeout": 60.0}


def _fake(kind: Server, root: Path) -> Any:
    if kind == "ollama":
        return FakeOllama()
    if kind == "openai":
        return FakeOpenAI()
    if kind == "acestep":
        return FakeAceStep(delay=0.0)
    if kind == "jellyfin":
        return FakeJellyfin()
    return FakeComfyUI(root, models=COMFY_MODELS, duration=0.02)


@dataclass
class Running:
    """A fake server, the live localhost server in front of it and, for ComfyUI, the engines' pool of it."""

    fake: Any
    server: LiveServer
    comfy: ComfyPool | None = None

    def pool(self) -> ComfyPool:
        """The one ComfyUI pool of this server (tests sharing the server share it: no schema fetch per test)."""
        if self.comfy is None:
            self.comfy = ComfyPool([self.server.url], **COMFY_POOL_OPTIONS)
        return self.comfy

    async def aclose(self) -> None:
        if self.comfy is not None:
            await self.comfy.aclose()
        self.server.stop()


class FakeServers:
    """Fake servers started on first use; ``shared`` ones serve a whole module, ``fresh`` ones a single test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: dict[Server, Running] = {}
        self.started: list[Running] = []

    def fresh(self, kind: Server) -> Running:
        """A new fake of ``kind`` that no other test talks to."""
        fake = _fake(kind, self.root / f"{kind}{len(self.started)}")
        running = Running(fake, LiveServer(fake.app).start())
        self.started.append(running)
        return running

    def shared(self, kind: Server) -> Running:
        """The one fake of ``kind`` this module's tests share."""
        if kind not in self.running:
            self.running[kind] = self.fresh(kind)
        return self.running[kind]

    async def aclose(self) -> None:
        for running in self.started:
            await running.aclose()


@dataclass
class Backends:
    """What a factory builds an engine from: the fake servers it talks to and a private scratch folder."""

    servers: Callable[[Server], Running]
    tmp: Path
    used: list[Running] = field(default_factory=list)

    def running(self, kind: Server) -> Running:
        running = self.servers(kind)
        self.used.append(running)
        return running

    def url(self, kind: Server) -> str:
        """The base URL an engine of ``kind`` is configured with (OpenAI-compatible ones end in ``/v1``)."""
        url = self.running(kind).server.url
        return url + "/v1" if kind == "openai" else url

    def settings(self, **overrides: Any) -> Settings:
        """Settings with a private data folder (the publish library lives under it)."""
        return Settings(data_dir=self.tmp / "data", **overrides)

    def ollama(self, kind: str) -> Settings:
        """Settings selecting the Ollama engine for ``kind`` (``vision``, ``llm``, ``embedding``), at the fake."""
        return self.settings(**{f"{kind}_engine": "ollama"}, ollama_url=self.url("ollama"))

    def openai(self, kind: str) -> Settings:
        """Settings selecting the OpenAI-compatible engine for ``kind``, at the fake with its API key."""
        return self.settings(
            **{f"{kind}_engine": "openai"},
            openai_base_url=self.url("openai"),
            openai_api_key=self.running("openai").fake.api_key,
        )

    def comfy_pool(self) -> ComfyPool:
        """The pool of the fake ComfyUI."""
        return self.running("comfyui").pool()

    def stop_servers(self) -> None:
        """Stop every server the engine was built against (the backend went down)."""
        for running in self.used:
            running.server.stop()


@dataclass(frozen=True)
class Impl(Generic[E]):
    """One implementation under contract."""

    build: Callable[[Backends], E]
    server: Server | None = None
    """The fake it talks to; None for an embedded engine."""
    deterministic: bool = True
    """Whether the same request gives the same bytes (embedded engines promise it, remote models do not)."""


def served(server: Server, build: Callable[[Backends], E]) -> Impl[E]:
    """An implementation that talks to a fake ``server`` (a real model promises no identical output)."""
    return Impl(build, server=server, deterministic=False)


def impl_params(impls: dict[str, Impl[E]], only: Callable[[Impl[E]], bool] | None = None) -> list[Any]:
    """``pytest.param(impl, id=name)`` for each implementation (those ``only`` accepts, when given).

    Parametrize a test's ``impl`` argument with a subset to run it on those implementations only.
    """
    return [pytest.param(impl, id=name) for name, impl in impls.items() if only is None or only(impl)]


def remote(impl: Impl[Any]) -> bool:
    """Whether the implementation talks to a server."""
    return impl.server is not None


def deterministic(impl: Impl[Any]) -> bool:
    """Whether the implementation promises identical output for identical requests."""
    return impl.deterministic


def assert_status(status: EngineStatus, kind: Kind, name: str, *, reachable: bool = True) -> None:
    """``status()`` is an ``EngineStatus`` of the engine's kind and name that says whether it can work."""
    assert isinstance(status, EngineStatus)
    assert (status.kind, status.name, status.reachable) == (kind, name, reachable)
    assert isinstance(status.detail, str) and all(isinstance(m, str) for m in status.models)


async def assert_down_is_transient(
    impl: Impl[S], servers: FakeServers, tmp: Path, kind: Kind, *calls: Callable[[S], Awaitable[object]]
) -> None:
    """Build ``impl`` against fakes of its own, stop them, then make every call: each must be a
    ``TransientEngineError`` (the job retries later), and ``status()`` must say the engine is unreachable.
    """
    backends = Backends(servers.fresh, tmp)
    engine = impl.build(backends)
    backends.stop_servers()
    try:
        for call in calls:
            with pytest.raises(TransientEngineError):
                await call(engine)
        assert_status(await engine.status(), kind, engine.name, reachable=False)
    finally:
        for running in backends.used:
            await running.aclose()
