"""Apple Music assignment against a fake iTunes Search API: search, preview into the library, credits, failures."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from anime_studio.config import Settings
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_project
from tests.fakes.itunes import FakeITunes
from tests.fakes.live import LiveServer
from tests.runs import wait_for


@pytest.fixture
def itunes(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeITunes]:
    fake = FakeITunes()
    with LiveServer(fake.app) as server:
        fake.base_url = server.url
        settings: Settings = runtime.settings
        monkeypatch.setattr(settings, "itunes_url", server.url)
        yield fake


async def test_search_add_preview_and_assign_with_credits(runtime: Runtime, studio: Studio, itunes: FakeITunes) -> None:
    found = await studio.reviewer.get(f"{API}/music/apple/search", params={"term": "lisa"})
    assert found.status_code == 200, found.text
    assert [s["track"] for s in found.json()] == ["Gurenge"]
    assert itunes.searches[0]["entity"] == "song" and itunes.searches[0]["term"] == "lisa"
    song = found.json()[0]
    added = await studio.editor.post(f"{API}/music/apple", json={"track_id": song["track_id"]})
    assert added.status_code == 201, added.text
    track = added.json()
    assert track["source"] == "apple" and 2.5 < track["duration"] < 3.5
    assert track["credits"]["artist"] == "LiSA"
    assert {k: track["credits"][k] for k in ("track", "album", "provider")} == {
        "track": "Gurenge",
        "album": "LEO-NiNE",
        "provider": "Apple Music",
    }
    assert track["credits"]["track_view_url"].startswith("https://music.apple.com/")
    again = await studio.editor.post(f"{API}/music/apple", json={"track_id": song["track_id"]})
    assert again.json()["id"] == track["id"] and itunes.downloads == 1  # cached, not downloaded twice
    preview = await studio.reviewer.get(track["file_url"])
    assert preview.status_code == 200 and preview.headers["content-type"] == "audio/mp4"
    listed = await studio.reviewer.get(f"{API}/music/tracks", params={"source": "apple", "q": "lisa"})
    assert [t["id"] for t in listed.json()["items"]] == [track["id"]]

    project = await create_project(studio.editor, name="Opening")
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "OP"})).json()
    assigned = await studio.editor.post(
        f"{API}/music/tracks/{track['id']}/assign", json={"scene_id": scene["id"], "volume": 0.5}
    )
    assert assigned.status_code == 200, assigned.text
    detail = (await studio.reviewer.get(f"{API}/scenes/{scene['id']}")).json()
    assert detail["music_path"] == assigned.json()["music_path"] and detail["music"]["volume"] == 0.5
    audio = (await studio.reviewer.get(f"{API}/gallery", params={"scene_id": scene["id"], "kind": "audio"})).json()
    asset = (await studio.reviewer.get(f"{API}/assets/{audio['items'][0]['id']}")).json()
    assert asset["provenance"]["credits"]["artist"] == "LiSA"


async def test_a_failing_search_is_a_clear_502_and_the_studio_stays_up(studio: Studio, itunes: FakeITunes) -> None:
    itunes.fail_with = 500
    failed = await studio.reviewer.get(f"{API}/music/apple/search", params={"term": "lisa"})
    assert failed.status_code == 502 and "HTTP 500" in failed.json()["detail"]
    added = await studio.editor.post(f"{API}/music/apple", json={"track_id": 1613593462})
    assert added.status_code == 502
    assert (await studio.reviewer.get(f"{API}/health")).status_code == 200
    itunes.fail_with = None
    assert (await studio.reviewer.get(f"{API}/music/apple/search", params={"term": "lisa"})).status_code == 200


@pytest.mark.parametrize(
    ("kind", "body", "status", "words"),
    [
        ("text/html", b"<html>blocked</html>", 502, "not audio"),
        ("audio/x-m4a", b"\0" * 50_000, 422, "preview"),
    ],
)
async def test_a_preview_that_is_not_audio_is_refused(
    runtime: Runtime, studio: Studio, itunes: FakeITunes, kind: str, body: bytes, status: int, words: str
) -> None:
    itunes.preview_type, itunes.preview_body = kind, body
    added = await studio.editor.post(f"{API}/music/apple", json={"track_id": 1440857781})
    assert added.status_code == status, added.text
    assert words in added.json()["detail"]
    folder = runtime.paths.root / "music" / "library"
    assert not list(folder.glob("apple_1440857781*")) and not list(folder.glob(".upload-*"))


async def test_unknown_songs_and_empty_terms(studio: Studio, itunes: FakeITunes) -> None:
    assert (await studio.editor.post(f"{API}/music/apple", json={"track_id": 42})).status_code == 404
    assert (await studio.reviewer.get(f"{API}/music/apple/search", params={"term": ""})).status_code == 422


async def test_the_attribution_travels_to_the_scene_and_the_episode(
    runtime: Runtime, studio: Studio, itunes: FakeITunes, worker: object
) -> None:
    track = (await studio.editor.post(f"{API}/music/apple", json={"track_id": 1547183021})).json()
    project = await create_project(studio.editor, name="Credits")
    await studio.editor.put(f"{API}/projects/{project['id']}/style", json={"width": 256, "height": 144, "fps": 8})
    scene = (await studio.editor.post(f"{API}/scenes", json={"project_id": project["id"], "title": "ED"})).json()
    await studio.editor.post(f"{API}/scenes/{scene['id']}/shots", json={"duration": 1.5})
    await studio.editor.post(f"{API}/music/tracks/{track['id']}/assign", json={"scene_id": scene["id"]})
    generated = await studio.editor.post(f"{API}/scenes/{scene['id']}/generate")
    assert (await wait_for(runtime, generated.json()["id"], timeout=120)).status.value == "succeeded"
    episode = (await studio.editor.post(f"{API}/episodes", json={"project_id": project["id"], "title": "Pilot"})).json()
    await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene["id"]})
    assembled = await studio.editor.post(f"{API}/episodes/{episode['id']}/assemble")
    run = await wait_for(runtime, assembled.json()["id"], timeout=120)
    assert run.status.value == "succeeded", run.error
    [credit] = run.result["music_credits"]
    assert (credit["scene_id"], credit["track"], credit["artist"]) == (
        scene["id"],
        "Unravel",
        "TK from Ling tosite sigure",
    )
    assert credit["track_view_url"].startswith("https://music.apple.com/")
    episode_asset = (await studio.reviewer.get(f"{API}/gallery", params={"kind": "episode"})).json()["items"][0]
    detail = (await studio.reviewer.get(f"{API}/assets/{episode_asset['id']}")).json()
    assert detail["provenance"]["music_credits"] == [credit]
