"""Contract of every publisher: Jellyfin/Kodi layout, NFOs, atomic writes, clean re-publish, safe names.

Jellyfin runs against its fake server. To add an implementation, add an ``Impl`` to ``PUBLISH`` (see
``tests/engines/contract.py``).
"""

from __future__ import annotations

import asyncio
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from anime_studio.engines.base import EngineError
from anime_studio.engines.publish import atomic
from anime_studio.engines.publish.base import EpisodePublication, Publisher
from anime_studio.engines.registry import publisher
from tests.engines import contract
from tests.engines.remote.media import make_png, make_video


def _jellyfin(backends: contract.Backends) -> Publisher:
    running = backends.running("jellyfin")
    return publisher(
        backends.settings(publish_engine="jellyfin", jellyfin_url=running.server.url, jellyfin_token=running.fake.token)
    )


PUBLISH: dict[str, contract.Impl[Publisher]] = {
    "folder": contract.Impl(lambda backends: publisher(backends.settings(publish_engine="folder"))),
    "jellyfin": contract.served("jellyfin", _jellyfin),
}


@dataclass
class Setup:
    engine: Publisher
    library: Path
    media: Path


@pytest.fixture(params=contract.impl_params(PUBLISH))
def impl(request: pytest.FixtureRequest) -> contract.Impl[Publisher]:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_video(tmp_path_factory.mktemp("video") / "episode.mp4", seconds=2.0)


def make_setup(engine: Publisher, backends: contract.Backends, video: Path) -> Setup:
    media = backends.tmp / "media"
    media.mkdir()
    # The episode lives on the same filesystem as the library, as the studio's media root usually does.
    os.link(video, media / "episode.mp4")
    return Setup(engine, backends.settings().publish_dir, media)


@pytest.fixture
def setup(engine: Publisher, backends: contract.Backends, video: Path) -> Setup:
    return make_setup(engine, backends, video)


def publication(setup: Setup, **overrides: object) -> EpisodePublication:
    subtitles = setup.media / "ep.srt"
    subtitles.write_text("1\n00:00:00,000 --> 00:00:01,000\nHello\n")
    vtt = setup.media / "ep.vtt"
    vtt.write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nこんにちは\n")
    fields: dict[str, object] = {
        "series_title": "Lantern Harbour",
        "season": 1,
        "episode": 2,
        "title": "The Last Ferry",
        "video_path": setup.media / "episode.mp4",
        "description": "Aoi chases the ferry & meets <Kitsu>.",
        "series_description": "A drowned city lit by lanterns.",
        "genre": "Fantasy, Adventure",
        "content_rating": "TV-PG",
        "aired": date(2025, 4, 1),
        "thumbnail_path": make_png(setup.media / "thumb.png", (640, 360)),
        "subtitle_paths": {"en": subtitles, "ja": vtt},
    }
    fields.update(overrides)
    return EpisodePublication(**fields)  # type: ignore[arg-type]


def tree(library: Path) -> list[str]:
    return sorted(p.relative_to(library).as_posix() for p in library.rglob("*") if p.is_file())


async def test_layout_names_and_nfo(setup: Setup) -> None:
    result = await setup.engine.publish(publication(setup))
    stem = "Lantern Harbour/Season 01/Lantern Harbour S01E02 - The Last Ferry"
    assert tree(setup.library) == sorted(
        [
            "Lantern Harbour/tvshow.nfo",
            "Lantern Harbour/poster.jpg",
            f"{stem}.mp4",
            f"{stem}.nfo",
            f"{stem}-thumb.jpg",
            f"{stem}.en.srt",
            f"{stem}.ja.vtt",
        ]
    )
    assert result.video_path == setup.library / f"{stem}.mp4"
    assert sorted(result.files) == sorted(setup.library / p for p in tree(setup.library))
    assert result.files[-1] == result.video_path  # the video is written last
    show = ET.parse(setup.library / "Lantern Harbour/tvshow.nfo").getroot()
    assert show.tag == "tvshow" and show.findtext("title") == "Lantern Harbour"
    assert [g.text for g in show.findall("genre")] == ["Fantasy", "Adventure"]
    assert (show.findtext("mpaa"), show.findtext("studio")) == ("TV-PG", "Anime Studio")
    assert show.findtext("plot") == "A drowned city lit by lanterns."
    episode = ET.parse(setup.library / f"{stem}.nfo").getroot()
    assert episode.tag == "episodedetails"
    assert {t: episode.findtext(t) for t in ("title", "season", "episode", "aired", "runtime")} == {
        "title": "The Last Ferry", "season": "1", "episode": "2", "aired": "2025-04-01", "runtime": "1",
    }  # fmt: skip
    assert episode.findtext("plot") == "Aoi chases the ferry & meets <Kitsu>."
    with Image.open(setup.library / "Lantern Harbour/poster.jpg") as poster:
        assert (poster.format, poster.size) == ("JPEG", (680, 1000))
    with Image.open(setup.library / f"{stem}-thumb.jpg") as thumb:
        assert (thumb.format, thumb.size) == ("JPEG", (640, 360))
    assert (setup.library / f"{stem}.ja.vtt").read_text().endswith("こんにちは\n")


async def test_a_media_server_is_told_about_the_episode(impl: contract.Impl[Publisher], setup: Setup) -> None:
    result = await setup.engine.publish(publication(setup))
    assert result.library_refreshed is contract.remote(impl)  # a plain folder has nobody to tell


async def test_video_is_hardlinked_or_copied(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    source = setup.media / "episode.mp4"
    result = await setup.engine.publish(publication(setup))
    assert result.video_path.stat().st_ino == source.stat().st_ino  # same filesystem: no second copy
    assert not result.video_path.is_symlink()

    def no_links(src: object, dst: object) -> None:
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", no_links)
    result = await setup.engine.publish(publication(setup, title="Copied"))
    assert result.video_path.stat().st_ino != source.stat().st_ino
    assert result.video_path.read_bytes() == source.read_bytes()


async def test_interrupted_publish_leaves_no_partial_files(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    await setup.engine.publish(publication(setup))
    before = {p: (setup.library / p).read_bytes() for p in tree(setup.library)}
    real_replace = Path.replace

    def failing_replace(self: Path, target: Path) -> Path:
        if str(target).endswith(".mp4"):
            raise OSError(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        await setup.engine.publish(publication(setup, title="Second Cut", description="new plot"))
    assert tree(setup.library) == sorted(before)  # nothing new visible: no temp files, no orphan sidecars
    for path, data in before.items():  # the published episode is intact, byte for byte
        assert (setup.library / path).read_bytes() == data


async def test_failure_while_writing_an_nfo_leaves_no_half_file(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = atomic.write_bytes

    def crash_mid_write(target: Path, data: bytes) -> None:
        if target.suffix == ".nfo" and "S01E02" in target.name:
            temp = atomic.temp_name(target)
            try:
                temp.write_bytes(data[: len(data) // 2])
                raise OSError(5, "I/O error")
            finally:
                temp.unlink(missing_ok=True)
        real_write(target, data)

    monkeypatch.setattr(atomic, "write_bytes", crash_mid_write)
    with pytest.raises(OSError, match="I/O error"):
        await setup.engine.publish(publication(setup))
    files = tree(setup.library)
    assert not [p for p in files if "S01E02" in p and p.endswith((".nfo", ".mp4", ".tmp"))]


async def test_litter_of_a_killed_publish_is_swept(setup: Setup) -> None:
    """SIGKILL between a temp write and its rename leaves hidden temp files, in the series folder too."""
    show = setup.library / "Lantern Harbour"
    season = show / "Season 01"
    season.mkdir(parents=True)
    litter = [
        show / ".tvshow.nfo.0badc0de.tmp",
        show / ".poster.jpg.12345678.tmp",
        season / ".Lantern Harbour S01E05 - Another One.mp4.deadbeef.tmp",
        season / ".Lantern Harbour S01E02 - The Last Ferry.nfo.abcdef01.tmp",
        show / "Season 00" / ".Lantern Harbour S00E01 - Special-thumb.jpg.00ff00ff.tmp",
    ]
    kept = [show / "notes.tmp", show / ".hidden", season / ".tvshow.nfo.tmp", season / "Extra.mp4.deadbeef.tmp"]
    for path in [*litter, *kept]:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
    await setup.engine.publish(publication(setup))
    assert [path for path in litter if path.exists()] == []
    assert all(path.read_bytes() == b"partial" for path in kept)


async def test_failed_first_publish_leaves_no_empty_folders(setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    real_replace = Path.replace

    def failing_replace(self: Path, target: Path) -> Path:
        if str(target).endswith(".mp4"):
            raise OSError(28, "No space left on device")
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(OSError, match="No space left"):
        await setup.engine.publish(publication(setup))
    assert list(setup.library.iterdir()) == []


async def test_publish_waits_for_the_library_lock(setup: Setup) -> None:
    """Sweeping is safe because no other publish can be mid-write: they all take the library's lock."""
    setup.library.mkdir(parents=True, exist_ok=True)
    with atomic.exclusive(setup.library):
        task = asyncio.create_task(setup.engine.publish(publication(setup)))
        await asyncio.sleep(0.5)
        assert not task.done() and not (setup.library / "Lantern Harbour").exists()
    result = await asyncio.wait_for(task, timeout=30)
    assert result.video_path.is_file()


async def test_republish_replaces_cleanly(setup: Setup) -> None:
    await setup.engine.publish(publication(setup))
    await setup.engine.publish(publication(setup, episode=3, title="Next"))
    result = await setup.engine.publish(publication(setup, title="Director's Cut", subtitle_paths={}))
    season = setup.library / "Lantern Harbour" / "Season 01"
    names = sorted(p.name for p in season.iterdir())
    assert names == sorted(
        [
            "Lantern Harbour S01E02 - Director's Cut.mp4",
            "Lantern Harbour S01E02 - Director's Cut.nfo",
            "Lantern Harbour S01E02 - Director's Cut-thumb.jpg",
            "Lantern Harbour S01E03 - Next.mp4",
            "Lantern Harbour S01E03 - Next.nfo",
            "Lantern Harbour S01E03 - Next-thumb.jpg",
            "Lantern Harbour S01E03 - Next.en.srt",
            "Lantern Harbour S01E03 - Next.ja.vtt",
        ]
    )
    assert ET.parse(season / "Lantern Harbour S01E02 - Director's Cut.nfo").getroot().findtext("title") == (
        "Director's Cut"
    )
    assert result.video_path.name == "Lantern Harbour S01E02 - Director's Cut.mp4"


@pytest.mark.parametrize(
    ("series", "title", "series_dir", "stem"),
    [
        ("../../etc", "../passwd", "etc", "etc S01E02 - passwd"),
        ("a/b\\c", 'x:y*z?"<w>|', "a b c", "a b c S01E02 - x y z w"),
        ("..", "..", "Untitled Series", "Untitled Series S01E02"),
        (".hidden\x00 show\t\n", "line\x1bbreak\u200b", "hidden show", "hidden show S01E02 - line break"),
        ("/abs/path", "C:\\Windows", "abs path", "abs path S01E02 - C Windows"),
    ],
)
async def test_hostile_names_stay_inside_library(
    setup: Setup, series: str, title: str, series_dir: str, stem: str
) -> None:
    result = await setup.engine.publish(publication(setup, series_title=series, title=title))
    library = setup.library.resolve()
    for path in result.files:
        assert path.resolve().is_relative_to(library)
    assert result.video_path == library / series_dir / "Season 01" / f"{stem}.mp4"
    assert tree(setup.library.parent) == [f"library/{p}" for p in tree(setup.library)]


async def test_long_names_are_limited(setup: Setup) -> None:
    result = await setup.engine.publish(publication(setup, series_title="S" * 400, title="T" * 400))
    for path in result.files:
        assert len(path.name.encode()) <= 255


async def test_poster_from_given_image_and_kept_later(setup: Setup) -> None:
    poster = make_png(setup.media / "poster.png", (300, 300))
    await setup.engine.publish(publication(setup, poster_path=poster))
    first = (setup.library / "Lantern Harbour/poster.jpg").read_bytes()
    await setup.engine.publish(publication(setup, episode=5, thumbnail_path=make_png(setup.media / "t2.png", (64, 64))))
    assert (setup.library / "Lantern Harbour/poster.jpg").read_bytes() == first


async def test_thumb_from_video_frame_and_specials_season(setup: Setup) -> None:
    result = await setup.engine.publish(publication(setup, season=0, episode=1, thumbnail_path=None, subtitle_paths={}))
    season = setup.library / "Lantern Harbour" / "Season 00"
    thumb = season / "Lantern Harbour S00E01 - The Last Ferry-thumb.jpg"
    with Image.open(thumb) as image:
        assert image.size == (160, 90) and image.format == "JPEG"
    assert not (setup.library / "Lantern Harbour/poster.jpg").exists()  # nothing to derive a poster from
    assert result.video_path.parent == season


@pytest.mark.parametrize(
    "overrides",
    [
        {"season": -1},
        {"episode": -3},
        {"video_path": Path("/nonexistent/video.mp4")},
        {"subtitle_paths": {"../en": Path(__file__)}},
        {"subtitle_paths": {"en": Path(__file__)}},
    ],
)
async def test_bad_input_is_engine_error(setup: Setup, overrides: dict[str, object]) -> None:
    with pytest.raises(EngineError):
        await setup.engine.publish(publication(setup, **overrides))
    assert not [p for p in tree(setup.library) if p.endswith(".mp4")]


async def test_status_reports_library(setup: Setup) -> None:
    await setup.engine.publish(publication(setup))
    status = await setup.engine.status()
    contract.assert_status(status, "publish", setup.engine.name)
    assert status.extra["series"] == ["Lantern Harbour"]


@pytest.mark.parametrize("impl", contract.impl_params(PUBLISH, contract.remote))
async def test_server_down_still_publishes_the_files(
    impl: contract.Impl[Publisher], fake_servers: contract.FakeServers, tmp_path: Path, video: Path
) -> None:
    """The library on disk is the product: a media server that is down only misses the refresh."""
    backends = contract.Backends(fake_servers.fresh, tmp_path)
    setup = make_setup(impl.build(backends), backends, video)
    backends.stop_servers()
    result = await setup.engine.publish(publication(setup))
    assert result.video_path.is_file() and result.library_refreshed is False
    assert "unreachable" in result.detail
    contract.assert_status(await setup.engine.status(), "publish", setup.engine.name, reachable=False)
