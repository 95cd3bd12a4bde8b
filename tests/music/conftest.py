"""The fake ACE-Step server, and the studio's music engine pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from anime_studio.config import Settings
from anime_studio.engines.music.acestep import AceStepMusic
from anime_studio.runtime import Runtime
from tests.fakes.acestep import FakeAceStep
from tests.fakes.live import LiveServer


@pytest.fixture
def acestep(
    runtime: Runtime, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[FakeAceStep, AceStepMusic]]:
    fake = FakeAceStep(delay=0.2)
    with LiveServer(fake.app) as server:
        engine = AceStepMusic(settings.model_copy(update={"acestep_url": server.url, "acestep_poll_interval": 0.05}))
        monkeypatch.setitem(runtime.engines.__dict__, "music", engine)
        yield fake, engine
