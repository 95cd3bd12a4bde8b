"""Fixtures of the contract suites: one fake server of each kind per module, engines built against them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.engines.contract import Backends, FakeServers, Impl


@pytest.fixture(scope="module")
async def fake_servers(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[FakeServers]:
    """Fake servers shared by a module's tests (they keep no state a contract test depends on)."""
    servers = FakeServers(tmp_path_factory.mktemp("fakes"))
    yield servers
    await servers.aclose()


@pytest.fixture
def backends(fake_servers: FakeServers, tmp_path: Path) -> Backends:
    return Backends(fake_servers.shared, tmp_path)


@pytest.fixture
def engine(impl: Impl[Any], backends: Backends) -> Any:
    """The implementation under contract, built against the module's fake servers (each suite defines ``impl``)."""
    return impl.build(backends)
