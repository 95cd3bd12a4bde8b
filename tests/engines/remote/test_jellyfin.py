"""The Jellyfin publisher's refresh calls and status against a fake Jellyfin.

The library layout and a server that is down are the publish contract (``test_contract_publish.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from anime_studio.config import Settings
from anime_studio.engines.base import EngineError
from anime_studio.engines.publish.base import EpisodePublication
from anime_studio.engines.publish.jellyfin import JellyfinPublisher, map_path, parse_path_map
from tests.engines.remote.media import make_video
from tests.fakes.jellyfin import FakeJellyfin

HEADER = re.compile(r'^MediaBrowser (\w+="[^"]*", )*Token="jf-token"$')


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("jf") / "ep.mp4", seconds=1.0)


def episode(video: Path, number: int = 1) -> EpisodePublication:
    return EpisodePublication(series_title="Lantern Harbour", season=1, episode=number, title="Pilot", video_path=video)


async def test_targeted_update_with_mediabrowser_header(
    jellyfin: tuple[FakeJellyfin, str], settings_for: Callable[..., Settings], video: Path
) -> None:
    fake, url = jellyfin
    engine = JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="jf-token"))
    result = await engine.publish(episode(video))
    assert result.library_refreshed is True and "notified" in result.detail
    (call,) = fake.calls
    assert (call.method, call.path) == ("POST", "/Library/Media/Updated")
    assert HEADER.match(call.authorization), call.authorization
    assert call.body == {"Updates": [{"Path": str(result.video_path), "UpdateType": "Created"}]}
    assert fake.full_refreshes == 0


async def test_path_map_translates_library_path(
    jellyfin: tuple[FakeJellyfin, str], settings_for: Callable[..., Settings], video: Path, tmp_path: Path
) -> None:
    fake, url = jellyfin
    library = tmp_path / "srv" / "library"
    settings = settings_for(
        jellyfin_url=url, jellyfin_token="jf-token", library_dir=library, jellyfin_path_map=f"{library}=/media/anime"
    )
    await JellyfinPublisher(settings).publish(episode(video))
    assert fake.media_updates == [
        {"Path": "/media/anime/Lantern Harbour/Season 01/Lantern Harbour S01E01 - Pilot.mp4", "UpdateType": "Created"}
    ]


def test_path_map_parsing() -> None:
    pairs = parse_path_map("/srv=/data, /srv/library=/media/anime")
    assert map_path(Path("/srv/library/a/b.mp4"), pairs) == "/media/anime/a/b.mp4"  # longest prefix wins
    assert map_path(Path("/srv/other.mp4"), pairs) == "/data/other.mp4"
    assert map_path(Path("/elsewhere/x.mp4"), pairs) == "/elsewhere/x.mp4"
    with pytest.raises(EngineError, match="jellyfin_path_map"):
        parse_path_map("/no-equals-sign")


@pytest.mark.parametrize("status", [404, 500])
async def test_falls_back_to_full_refresh(
    jellyfin: tuple[FakeJellyfin, str], settings_for: Callable[..., Settings], video: Path, status: int
) -> None:
    fake, url = jellyfin
    fake.media_updated_status = status
    result = await JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="jf-token")).publish(episode(video))
    assert [c.path for c in fake.calls] == ["/Library/Media/Updated", "/Library/Refresh"]
    assert fake.full_refreshes == 1 and result.library_refreshed is True
    assert "full library scan" in result.detail


async def test_refresh_failure_keeps_files_and_reports(
    jellyfin: tuple[FakeJellyfin, str], settings_for: Callable[..., Settings], video: Path
) -> None:
    fake, url = jellyfin
    fake.media_updated_status, fake.admin = 500, False
    result = await JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="jf-token")).publish(episode(video))
    assert result.library_refreshed is False and result.video_path.exists()
    assert "Library/Refresh HTTP 403" in result.detail
    wrong = JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="stolen"))
    result = await wrong.publish(episode(video, 2))
    assert result.library_refreshed is False and "HTTP 401" in result.detail and result.video_path.exists()
    untokened = await JellyfinPublisher(settings_for(jellyfin_url=url)).publish(episode(video, 4))
    assert untokened.library_refreshed is False and "JELLYFIN_TOKEN" in untokened.detail


async def test_status_from_system_info(
    jellyfin: tuple[FakeJellyfin, str], settings_for: Callable[..., Settings]
) -> None:
    fake, url = jellyfin
    status = await JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="jf-token")).status()
    assert status.reachable and status.detail == "fake-jellyfin 10.10.7"
    assert status.extra["version"] == "10.10.7" and HEADER.match(fake.calls[-1].authorization)
    rejected = await JellyfinPublisher(settings_for(jellyfin_url=url, jellyfin_token="bad")).status()
    assert rejected.reachable and "rejected the token" in rejected.detail
