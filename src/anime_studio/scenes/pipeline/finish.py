"""After the shots: lay them out, add dialogue and music, render the scene file, write its subtitles."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from anime_studio.assets import service as assets
from anime_studio.assets.models import Asset, AssetKind
from anime_studio.datasets.files import write_atomic
from anime_studio.errors import Invalid
from anime_studio.media import delivery
from anime_studio.media.probe import probe, record
from anime_studio.media.subtitles import to_srt
from anime_studio.review import versions
from anime_studio.scenes.models import Scene, Shot
from anime_studio.scenes.pipeline import assemble, audio, timeline
from anime_studio.scenes.pipeline.context import SceneWork
from anime_studio.scenes.service import DONE_SHOT_STATES


def finished_shots(work: SceneWork) -> list[Shot]:
    return [s for s in work.shots if s.status in DONE_SHOT_STATES and work.path(s.output_path) is not None]


async def assemble_scene(work: SceneWork, span: tuple[float, float]) -> dict[str, object]:
    """Render ``output/scenes/{project}/scene_{id}.mp4`` from the finished shots; returns a summary."""
    shots = finished_shots(work)
    if not shots:
        raise Invalid(f"scene {work.scene.id} has no finished shots to assemble")
    clips = [p for s in shots if (p := work.path(s.output_path)) is not None]
    infos = await asyncio.gather(*(asyncio.to_thread(probe, c) for c in clips))
    layout = timeline.build(
        [i.duration for i in infos], [(s.transition_type, s.transition_duration) for s in shots], fps=work.style.fps
    )
    await work.ctx.progress(span[0], "speaking dialogue")
    lines, cues = await audio.dialogue(work, shots, layout)
    await work.ctx.progress(span[0] + (span[1] - span[0]) * 0.2, "scoring music")
    bed = await audio.music(work, layout.total)
    style, settings = work.style, work.ctx.runtime.settings
    subtitles = work.output.with_suffix(".srt")
    await asyncio.to_thread(write_atomic, subtitles, to_srt(cues).encode())
    mix = assemble.SceneMix(
        clips=clips,
        clip_info=list(infos),
        timeline=layout,
        encoding=assemble.Encoding(
            width=style.width,
            height=style.height,
            fps=style.fps,
            clip_preset=settings.kenburns_preset,
            clip_crf=settings.kenburns_crf,
        ),
        dialogue=lines,
        music=bed,
        subtitles=subtitles if cues else None,
    )
    stem = work.folder / "dialogue.wav"
    render_span = work.ctx.span(span[0] + (span[1] - span[0]) * 0.3, span[1], prefix="assembling")
    route = await assemble.render(mix, work.output, dialogue_stem=stem if lines else None, progress=render_span)
    await delivery.normalize(work.output)
    await _save(work, shots, bed, stem if lines else None, subtitles)
    return {
        "output": work.relative(work.output),
        "duration": layout.total,
        "shots": len(shots),
        "lines": len(cues),
        "assembly": route,
    }


async def _save(work: SceneWork, shots: list[Shot], bed: assemble.MusicBed, stem: Path | None, subtitles: Path) -> None:
    rt = work.ctx.runtime
    info = probe(work.output)
    async with rt.db.transaction() as session:
        scene = await session.get(Scene, work.scene.id)
        if scene is None:
            return
        cut = {
            "assembled_shots": [s.id for s in shots],
            "run_id": work.ctx.run_id,
            "media": record(work.output, info),  # episodes reuse it instead of probing again (a rename keeps it)
        }
        version = await versions.record(
            session=session,
            paths=rt.paths,
            made=versions.Made(
                subject_type="scene",
                subject_id=scene.id,
                project_id=scene.project_id,
                file=work.output,
                run_id=work.ctx.run_id,
                companions={"subtitles": subtitles},
                provenance={
                    "shot_versions": await versions.current_of(session=session, ids=[s.id for s in shots]),
                    "restore": {"generation": cut},
                },
                engine=rt.engines.video.name,
                duration=round(info.duration, 3),
                fps=work.style.fps,
            ),
        )
        scene.output_path = version.path
        scene.subtitles_path = version.companions.get("subtitles", work.relative(subtitles))
        scene.dialogue_audio_path = work.relative(stem) if stem is not None else None
        scene.duration = round(info.duration, 3)
        scene.status = "completed" if len(shots) == len(work.shots) else "partial"
        # An Apple Music preview's attribution travels with every cut that plays it.
        credits = await _music_credits(session, work.scene.music_path)
        scene.generation = {
            **scene.generation,
            **cut,
            # The score under this cut (also one composed on the fly: the Music panel shows it); the timeline
            # export lays it out with these levels.
            "music": {
                "path": work.relative(bed.path),
                **_levels(bed),
                "composed": not work.scene.music_path,
                **({"credits": credits} if credits else {}),
            },
        }
        if not work.scene.music_path:
            await _record_score(work, session, bed.path)
        await assets.record(
            session=session,
            paths=rt.paths,
            file=rt.paths.inside(version.path),
            project_id=scene.project_id,
            kind=AssetKind.scene,
            width=info.width,
            height=info.height,
            duration=info.duration,
            scene_id=scene.id,
            run_id=work.ctx.run_id,
            provenance={
                "shots": [s.id for s in shots],
                "music": work.scene.music_path or "generated",
                **({"music_credits": credits} if credits else {}),
                "version": version.number,
            },
        )
        work.scene.status = scene.status
        work.notify(session)


def _levels(bed: assemble.MusicBed) -> dict[str, float]:
    return {"start_offset": bed.start_offset, "volume": bed.volume, "fade_in": bed.fade_in, "fade_out": bed.fade_out}


async def _music_credits(session: AsyncSession, music_path: str | None) -> dict[str, Any]:
    """The attribution recorded with an assigned library track (Apple Music previews), if any."""
    if not music_path:
        return {}
    provenance = await session.scalar(select(Asset.provenance).where(Asset.path == music_path))
    credits = (provenance or {}).get("credits")
    return dict(credits) if isinstance(credits, dict) else {}


async def _record_score(work: SceneWork, session: AsyncSession, path: Path) -> None:
    """A score composed during generation is an audio asset of the scene, like one composed on request."""
    rt = work.ctx.runtime
    await assets.record(
        session=session,
        paths=rt.paths,
        file=path,
        project_id=work.project.id,
        kind=AssetKind.audio,
        duration=probe(path).duration,
        scene_id=work.scene.id,
        run_id=work.ctx.run_id,
        provenance={"engine": rt.engines.music.name, "mood": work.mood, "composed_for": "scene generation"},
    )
