"""The music library: a request already rendered is never rendered again, even when asked concurrently."""

from __future__ import annotations

import asyncio
from pathlib import Path

from anime_studio.engines.music.acestep import AceStepMusic
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.synth import SynthMusicEngine
from anime_studio.music import library
from anime_studio.music.library import TrackRequest
from anime_studio.runtime import Runtime
from tests.factories import API, Studio, create_project
from tests.fakes.acestep import FakeAceStep
from tests.runs import wait_for


async def test_the_same_request_renders_once(runtime: Runtime, acestep: tuple[FakeAceStep, AceStepMusic]) -> None:
    fake, engine = acestep
    request = TrackRequest(mood="melancholy", duration=6.0, seed=7)
    first = await library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request)
    again = await library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request)
    assert len(fake.tasks) == 1 and again.id == first.id and again.path == first.path
    other_seed = await library.compose(
        db=runtime.db, paths=runtime.paths, engine=engine, request=TrackRequest(mood="melancholy", duration=6.0, seed=8)
    )
    sung = await library.compose(
        db=runtime.db,
        paths=runtime.paths,
        engine=engine,
        request=TrackRequest(mood="melancholy", duration=6.0, seed=7, lyrics="[verse]\nrain on the roof"),
    )
    assert len(fake.tasks) == 3 and len({first.id, other_seed.id, sung.id}) == 3
    bodies = [task.body for task in fake.tasks.values()]
    assert [b["lyrics"] for b in bodies] == ["[Instrumental]", "[Instrumental]", "[verse]\nrain on the roof"]
    assert first.engine == "acestep" and first.model == engine.model and first.source == "composed"


async def test_concurrent_identical_requests_render_once(
    runtime: Runtime, acestep: tuple[FakeAceStep, AceStepMusic]
) -> None:
    fake, engine = acestep
    request = TrackRequest(mood="tense", duration=5.0, seed=3)
    tracks = await asyncio.gather(
        *(library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request) for _ in range(4))
    )
    assert len(fake.tasks) == 1 and len({t.id for t in tracks}) == 1


async def test_a_lost_file_is_rendered_again(runtime: Runtime, acestep: tuple[FakeAceStep, AceStepMusic]) -> None:
    fake, engine = acestep
    request = TrackRequest(mood="peaceful", duration=4.0, seed=1)
    first = await library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request)
    runtime.paths.inside(first.path).unlink()
    again = await library.compose(db=runtime.db, paths=runtime.paths, engine=engine, request=request)
    assert len(fake.tasks) == 2 and again.id == first.id and runtime.paths.inside(again.path).is_file()


async def test_two_scenes_with_the_same_music_request_share_one_render(
    runtime: Runtime, studio: Studio, worker: object, acestep: tuple[FakeAceStep, AceStepMusic]
) -> None:
    fake, _ = acestep
    project = await create_project(studio.editor, name="Shared score")
    paths = []
    for title in ("Morning", "Evening"):
        scene = await studio.editor.post(
            f"{API}/scenes", json={"project_id": project["id"], "title": title, "mood": "sad"}
        )
        run = await studio.editor.post(f"{API}/scenes/{scene.json()['id']}/generate-music")
        done = await wait_for(runtime, run.json()["id"], timeout=60)
        assert done.status.value == "succeeded", done.error
        paths.append(done.result["path"])
    assert len(fake.tasks) == 1
    assert paths[0] != paths[1] and all(runtime.paths.inside(p).is_file() for p in paths)


async def test_uploads_are_stored_once_and_browsable(studio: Studio, tmp_path: Path) -> None:
    wav = tmp_path / "theme.wav"
    await SynthMusicEngine().compose(MusicRequest(mood="joyful", duration=2.0, output_path=wav))
    url = f"{API}/music/tracks"
    first = await studio.editor.post(url, files={"file": ("Theme.wav", wav.read_bytes(), "audio/wav")})
    again = await studio.editor.post(url, files={"file": ("copy.wav", wav.read_bytes(), "audio/wav")})
    assert first.status_code == again.status_code == 201, first.text
    assert first.json()["id"] == again.json()["id"] and first.json()["source"] == "upload"
    listed = (await studio.reviewer.get(url, params={"source": "upload"})).json()
    assert listed["total"] == 1 and listed["items"][0]["title"] == "Theme"
    preview = await studio.reviewer.get(first.json()["file_url"])
    assert preview.status_code == 200 and preview.content == wav.read_bytes()
    bad = await studio.editor.post(url, files={"file": ("x.mp3", b"not audio at all" * 100, "audio/mpeg")})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("x.mp3")
    refused = await studio.reviewer.post(url, files={"file": ("Theme.wav", wav.read_bytes(), "audio/wav")})
    assert refused.status_code == 403
