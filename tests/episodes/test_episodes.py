"""Episodes: CRUD and ordering at the spec's paths, assembly (copy vs normalise), subtitles, OTIO."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path
from typing import Any

import opentimelineio as otio
import pytest

from anime_studio.db import ordering
from anime_studio.media.delivery import CEILING_DBTP, TARGET_LUFS, measure
from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue, to_srt
from anime_studio.runtime import Runtime
from anime_studio.scenes.models import Scene, Shot
from tests.factories import API, Studio, create_project
from tests.runs import wait_for


def _scene_file(path: Path, seconds: float, size: str = "320x180", audio: bool = True) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    args = [ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", f"testsrc2=s={size}:r=24"]
    if audio:
        args += ["-f", "lavfi", "-i", "sine=f=330:sample_rate=48000", "-ac", "2", "-c:a", "aac"]
    args += ["-t", str(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p", str(path)]
    subprocess.run(args, check=True)
    return path


async def _made_scene(runtime: Runtime, project_id: int, title: str, seconds: float, **video: Any) -> int:
    folder = runtime.paths.root / "output" / "scenes" / "test" / title
    clip = _scene_file(folder / "shot.mp4", seconds, **video)
    scene_file = _scene_file(folder / "scene.mp4", seconds, **video)
    srt = folder / "scene.srt"
    srt.write_text(to_srt([Cue(0.5, 1.2, f"line in {title}", "Hana")]))
    async with runtime.db.transaction() as session:
        number = await ordering.next_number(
            session, parent_key=Scene.project_id, column=Scene.scene_number, parent_id=project_id
        )
        scene = Scene(
            project_id=project_id,
            scene_number=number,
            title=title,
            status="completed",
            duration=seconds,
            output_path=runtime.paths.relative(scene_file),
            subtitles_path=runtime.paths.relative(srt),
        )
        session.add(scene)
        await session.flush()
        shot = Shot(
            scene_id=scene.id,
            position=1,
            status="completed",
            duration=seconds,
            output_path=runtime.paths.relative(clip),
        )
        session.add(shot)
        await session.flush()
        scene.generation = {"assembled_shots": [shot.id]}
        return scene.id


async def _episode(studio: Studio, project_id: int, **fields: Any) -> dict[str, Any]:
    response = await studio.editor.post(f"{API}/episodes", json={"project_id": project_id, "title": "Pilot", **fields})
    assert response.status_code == 201, response.text
    data: dict[str, Any] = response.json()
    return data


async def test_episode_crud_numbers_and_scene_order(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor)
    first = await _episode(studio, project["id"])
    second = await _episode(studio, project["id"], title="Second")
    assert (first["number"], second["number"], first["season"]) == (1, 2, 1)
    dup = await studio.editor.post(f"{API}/episodes", json={"project_id": project["id"], "title": "x", "number": 2})
    assert dup.status_code == 409
    a, b, c = [await _made_scene(runtime, project["id"], t, 1.0) for t in ("a", "b", "c")]
    url = f"{API}/episodes/{first['id']}/scenes"
    await studio.editor.post(url, json={"scene_id": a})
    await studio.editor.post(f"{url}/{b}")
    detail = (await studio.editor.post(f"{url}/{c}", json={"position": 1})).json()
    assert [s["scene_id"] for s in detail["scenes"]] == [c, a, b] and [s["position"] for s in detail["scenes"]] == [
        1,
        2,
        3,
    ]
    moved = (await studio.editor.post(url, json={"scene_id": c, "position": 3})).json()
    assert [s["scene_id"] for s in moved["scenes"]] == [a, b, c]
    removed = (await studio.editor.delete(f"{url}/{a}")).json()
    assert [(s["scene_id"], s["position"]) for s in removed["scenes"]] == [(b, 1), (c, 2)]
    reordered = await studio.editor.put(f"{API}/episodes/{first['id']}/reorder", json={"scene_order": [c, b]})
    assert [s["scene_id"] for s in reordered.json()["scenes"]] == [c, b]
    assert (
        await studio.editor.put(f"{API}/episodes/{first['id']}/reorder", json={"scene_order": [c]})
    ).status_code == 422
    assert (await studio.editor.delete(f"{url}/{a}")).status_code == 404
    listed = (await studio.reviewer.get(f"{API}/episodes", params={"project_id": project["id"]})).json()
    assert [(e["number"], e["scene_count"]) for e in listed] == [(1, 2), (2, 0)]
    other = await create_project(studio.editor, name="Other")
    foreign = await _made_scene(runtime, other["id"], "foreign", 1.0)
    assert (await studio.editor.post(url, json={"scene_id": foreign})).status_code == 422
    assert (await studio.editor.patch(f"{API}/episodes/{second['id']}", json={"number": 1})).status_code == 409
    assert (await studio.editor.delete(f"{API}/episodes/{second['id']}")).status_code == 204


@pytest.mark.parametrize("mismatch", [False, True])
async def test_assembly_copies_or_normalises_and_embeds_subtitles(
    runtime: Runtime, studio: Studio, worker: object, mismatch: bool
) -> None:
    project = await create_project(studio.editor, name="Asm")
    episode = await _episode(studio, project["id"])
    scenes = [
        await _made_scene(runtime, project["id"], f"s1-{mismatch}", 1.5),
        await _made_scene(
            runtime, project["id"], f"s2-{mismatch}", 2.0, size="640x360" if mismatch else "320x180", audio=not mismatch
        ),
    ]
    for scene_id in scenes:
        await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene_id})
    run = await studio.editor.post(f"{API}/episodes/{episode['id']}/assemble")
    assert run.status_code == 202
    done = await wait_for(runtime, run.json()["id"], timeout=60)
    assert done.status.value == "succeeded", done.error
    assert done.result["normalised"] == (1 if mismatch else 0)
    detail = (await studio.reviewer.get(f"{API}/episodes/{episode['id']}")).json()
    assert detail["status"] == "assembled"
    output = runtime.paths.inside(detail["output_path"])
    info = probe(output)
    assert info.duration == pytest.approx(3.5, abs=0.15)
    assert (info.width, info.height) == (320, 180) and info.has_audio and info.subtitle_codecs == ["mov_text"]
    loudness = await measure(output)  # the test tones come in at about -21 LUFS
    assert loudness.integrated == pytest.approx(TARGET_LUFS, abs=1.0) and loudness.true_peak <= CEILING_DBTP
    video = await studio.reviewer.get(f"{API}/episodes/{episode['id']}/video", headers={"Range": "bytes=0-99"})
    assert video.status_code == 206 and len(video.content) == 100
    thumb = await studio.reviewer.get(f"{API}/episodes/{episode['id']}/thumbnail")
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"
    srt = (await studio.reviewer.get(f"{API}/episodes/{episode['id']}/subtitles.srt")).text
    assert "00:00:02,000 --> 00:00:02,700\nHana: line in s2" in srt
    vtt = (await studio.reviewer.get(f"{API}/episodes/{episode['id']}/subtitles.vtt")).text
    assert vtt.startswith("WEBVTT")
    assert (await studio.reviewer.get(f"{API}/episodes/{episode['id']}/subtitles.ass")).status_code == 404


async def test_otio_export_reads_back(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Otio")
    episode = await _episode(studio, project["id"])
    scene_id = await _made_scene(runtime, project["id"], "otio", 2.0)
    await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene_id})
    response = await studio.reviewer.get(f"{API}/episodes/{episode['id']}/timeline.otio")
    assert response.status_code == 200
    timeline = await asyncio.to_thread(otio.adapters.read_from_string, response.text, "otio_json")
    clips = list(timeline.find_clips())
    assert len(clips) == 1 and timeline.duration().to_seconds() == pytest.approx(2.0, abs=0.05)
    markers = timeline.tracks[0].markers
    assert [m.name for m in markers] == ["Hana: line in otio"]


async def test_assemble_and_publish_need_prerequisites(studio: Studio) -> None:
    project = await create_project(studio.editor)
    episode = await _episode(studio, project["id"])
    empty = await studio.editor.post(f"{API}/episodes/{episode['id']}/assemble")
    assert empty.status_code == 422 and "no scenes" in empty.json()["detail"]
    unpublished = await studio.editor.post(f"{API}/episodes/{episode['id']}/publish")
    assert unpublished.status_code == 422 and "assemble" in unpublished.json()["detail"]
    assert (await studio.reviewer.get(f"{API}/episodes/{episode['id']}/video")).status_code == 404


async def test_publish_writes_the_jellyfin_layout(runtime: Runtime, studio: Studio, worker: object) -> None:
    import xml.etree.ElementTree as ET

    project = await create_project(studio.editor, name="Lantern Courier")
    # a scene made outside the pipeline has no versions to approve: the review gate is tested in tests/review
    await studio.admin.put(f"{API}/review/projects/{project['id']}/settings", json={"gate": "off"})
    episode = await _episode(studio, project["id"], title="The Last: Letter")
    scene_id = await _made_scene(runtime, project["id"], "pub", 1.5)
    await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene_id})
    assembled = await studio.editor.post(f"{API}/episodes/{episode['id']}/assemble")
    assert (await wait_for(runtime, assembled.json()["id"], timeout=60)).status.value == "succeeded"
    published = await studio.editor.post(f"{API}/episodes/{episode['id']}/publish", params={"season": 2})
    run = await wait_for(runtime, published.json()["id"], timeout=60)
    assert run.status.value == "succeeded", run.error
    library = runtime.settings.publish_dir / "Lantern Courier"
    season = library / "Season 02"
    video = season / "Lantern Courier S02E01 - The Last Letter.mp4"
    assert video.is_file() and probe(video).subtitle_codecs == ["mov_text"]
    assert (library / "tvshow.nfo").is_file() and (library / "poster.jpg").is_file()
    assert (season / "Lantern Courier S02E01 - The Last Letter-thumb.jpg").is_file()
    assert (season / "Lantern Courier S02E01 - The Last Letter.en.srt").is_file()
    nfo = ET.parse(season / "Lantern Courier S02E01 - The Last Letter.nfo").getroot()
    assert (nfo.tag, nfo.findtext("season"), nfo.findtext("episode")) == ("episodedetails", "2", "1")
    detail = (await studio.reviewer.get(f"{API}/episodes/{episode['id']}")).json()
    assert detail["status"] == "published" and detail["publish_path"] == str(video)
