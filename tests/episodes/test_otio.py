"""The OTIO timeline of an episode matches the assembled episode file frame for frame, with dialogue and music."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import av
import opentimelineio as otio

from anime_studio.db import ordering
from anime_studio.episodes.assembly import EpisodeBuild, build
from anime_studio.media.ffmpeg import ffmpeg_exe
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue, to_srt
from anime_studio.runtime import Runtime
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.pipeline import assemble
from anime_studio.scenes.pipeline.timeline import build as lay_out
from anime_studio.scenes.pipeline.timeline import dialogue_start
from tests.factories import API, Studio, create_project

FPS = 24
# Crossfades of 0.3 s: their centres fall between frames, which is where per-clip rounding used to drift.
SHOTS = [(3.0, "cut", 0.0), (3.5, "dissolve", 0.3), (3.0, "fade", 0.3)]
MUSIC = {"volume": 0.3, "fade_in": 1.0, "fade_out": 2.0, "start_offset": 0.5}


def _lavfi(output: Path, source: str, seconds: float) -> Path:
    output.parent.mkdir(parents=True, exist_ok=True)
    args = [ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "lavfi", "-i", source, "-t", str(seconds)]
    subprocess.run([*args, *(["-pix_fmt", "yuv420p"] if output.suffix == ".mp4" else []), str(output)], check=True)
    return output


async def _mixed_scene(runtime: Runtime, project_id: int, title: str) -> tuple[int, float]:
    """A scene rendered by the real scene mixer (xfades, a line of dialogue, music); returns (id, line start)."""
    folder = runtime.paths.root / "output" / "scenes" / "otio-exact" / title
    clips = [_lavfi(folder / f"shot_{n}.mp4", f"testsrc2=s=320x180:r={FPS}", d) for n, (d, _, _) in enumerate(SHOTS)]
    line = _lavfi(folder / "line.wav", "sine=f=440:sample_rate=48000", 1.2)
    music = _lavfi(folder / "music.wav", "sine=f=220:sample_rate=48000", 12.0)
    layout = lay_out([d for d, _, _ in SHOTS], [(kind, length) for _, kind, length in SHOTS])
    start = dialogue_start(layout, 1)
    scene_file, stem = folder.with_suffix(".mp4"), folder / "dialogue.wav"
    mix = assemble.SceneMix(
        clips=clips,
        clip_info=[probe(c) for c in clips],
        timeline=layout,
        encoding=assemble.Encoding(width=320, height=180, fps=FPS),
        dialogue=[assemble.DialogueClip(line, start)],
        music=assemble.MusicBed(music, **MUSIC),
    )
    await assemble.render(mix, scene_file, dialogue_stem=stem)
    srt = scene_file.with_suffix(".srt")
    srt.write_text(to_srt([Cue(start, start + 1.2, f"line in {title}", "Hana")]))
    async with runtime.db.transaction() as session:
        number = await ordering.next_number(
            session, parent_key=Scene.project_id, column=Scene.scene_number, parent_id=project_id
        )
        scene = Scene(
            project_id=project_id,
            scene_number=number,
            title=title,
            status="completed",
            duration=probe(scene_file).duration,
            output_path=runtime.paths.relative(scene_file),
            subtitles_path=runtime.paths.relative(srt),
            dialogue_audio_path=runtime.paths.relative(stem),
        )
        session.add(scene)
        await session.flush()
        shots = [
            Shot(
                scene_id=scene.id,
                position=n + 1,
                status="completed",
                duration=d,
                transition_type=kind,
                transition_duration=length,
                output_path=runtime.paths.relative(clip),
            )
            for n, ((d, kind, length), clip) in enumerate(zip(SHOTS, clips, strict=True))
        ]
        session.add_all(shots)
        await session.flush()
        music_record = {"path": runtime.paths.relative(music), **MUSIC}
        scene.generation = {"assembled_shots": [s.id for s in shots], "music": music_record}
        return scene.id, start


def _frames(path: Path) -> int:
    with av.open(str(path)) as container:
        return int(container.streams.video[0].frames)


async def test_timeline_matches_the_episode_file_to_the_frame(runtime: Runtime, studio: Studio) -> None:
    project = await create_project(studio.editor, name="Otio exact")
    made = [await _mixed_scene(runtime, project["id"], title) for title in ("first", "second")]
    episode = (await studio.editor.post(f"{API}/episodes", json={"project_id": project["id"], "title": "E"})).json()
    for scene_id, _ in made:
        await studio.editor.post(f"{API}/episodes/{episode['id']}/scenes", json={"scene_id": scene_id})
    folder = runtime.paths.root / "output" / "scenes" / "otio-exact"
    scene_files = [folder / "first.mp4", folder / "second.mp4"]
    episode_file = runtime.paths.root / "output" / "episodes" / "otio-exact.mp4"
    episode_file.parent.mkdir(parents=True, exist_ok=True)
    await build(EpisodeBuild(sources=scene_files, output=episode_file))

    response = await studio.reviewer.get(f"{API}/episodes/{episode['id']}/timeline.otio")
    assert response.status_code == 200, response.text
    timeline = await asyncio.to_thread(otio.adapters.read_from_string, response.text, "otio_json")
    total = _frames(episode_file)
    assert timeline.duration() == otio.opentime.RationalTime(total, FPS)
    video, dialogue, music = timeline.tracks
    assert [(t.name, t.kind) for t in timeline.tracks] == [
        ("Video", "Video"),
        ("Dialogue", "Audio"),
        ("Music", "Audio"),
    ]
    assert [t.duration().value for t in timeline.tracks] == [total] * 3

    origins = [0, _frames(scene_files[0])]
    shot_clips = list(video.find_clips())
    assert len(shot_clips) == 6 and len([i for i in video if isinstance(i, otio.schema.Transition)]) == 4
    assert sum(c.duration().value for c in shot_clips[:3]) == origins[1]

    lines = list(dialogue.find_clips())
    expected_starts = [origin + round(start * FPS) for origin, (_, start) in zip(origins, made, strict=True)]
    assert [c.range_in_parent().start_time.value for c in lines] == expected_starts
    assert [c.source_range.start_time.value for c in lines] == [round(start * FPS) for _, start in made]
    assert all(c.duration().value == round(1.2 * FPS) for c in lines)
    assert lines[0].media_reference.target_url == (folder / "first" / "dialogue.wav").resolve().as_uri()

    beds = list(music.find_clips())
    assert [c.range_in_parent().start_time.value for c in beds] == origins
    assert [c.source_range.start_time.value for c in beds] == [round(0.5 * FPS)] * 2
    assert [c.duration().value for c in beds] == [origins[1], total - origins[1]]
    assert beds[0].metadata["anime_studio"]["volume"] == 0.3
