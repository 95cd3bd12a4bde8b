"""Scene assembly (12 shots × 4 s, 1280×720, dissolves + dialogue + music) vs one hand-written ffmpeg command.

Two routes of the studio: the full render (one ffmpeg run, what uploads and foreign clips get) and the
smart render (shot clips in the house H.264 dialect: only the dissolves are encoded, the rest is copied).
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import alternate, clip, ffmpeg, tone

from anime_studio.media.ffmpeg import house_h264, run_ffmpeg
from anime_studio.media.probe import probe
from anime_studio.scenes.pipeline import assemble, timeline

SHOTS, SECONDS, XFADE, FPS = 12, 4.0, 0.3, 24


def reference_args(
    clips: list[Path], lines: list[tuple[Path, float]], music: Path, total: float, out: Path
) -> list[str]:
    """What an engineer would type: an xfade chain, delayed lines, music at 30 % with fades, one encode."""
    args: list[str] = []
    for path in [*clips, *(p for p, _ in lines), music]:
        args += ["-i", str(path)]
    graph, last = [], "[0:v]"
    for k in range(1, len(clips)):
        offset = k * (SECONDS - XFADE)
        graph.append(f"{last}[{k}:v]xfade=transition=dissolve:duration={XFADE}:offset={offset:.3f}[v{k}]")
        last = f"[v{k}]"
    voices = []
    for n, (_, start) in enumerate(lines):
        graph.append(f"[{len(clips) + n}:a]aresample=48000,adelay={round(start * 1000)}:all=1[d{n}]")
        voices.append(f"[d{n}]")
    m = len(clips) + len(lines)
    graph.append(f"[{m}:a]aresample=48000,volume=0.3,afade=t=in:d=1,afade=t=out:st={total - 2:.3f}:d=2[m]")
    graph.append(
        f"{''.join(voices)}[m]amix=inputs={len(voices) + 1}:normalize=0:duration=longest,atrim=end={total:.3f}[a]"
    )
    args += ["-filter_complex", ";".join(graph), "-map", last, "-map", "[a]"]
    args += ["-c:v", "libx264", "-preset", "veryfast", "-crf", "20", "-pix_fmt", "yuv420p", "-r", str(FPS)]
    args += ["-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2", "-t", f"{total:.3f}", str(out)]
    return args


def house_clip(path: Path, keyframes: tuple[float, ...]) -> Path:
    """A shot clip as the studio's engines write one: house dialect, IDR frames at its transitions."""
    source = f"testsrc2=s=1280x720:r={FPS}"
    ffmpeg("-f", "lavfi", "-i", source, "-t", str(SECONDS), *house_h264(FPS, keyframes=keyframes), path)
    return path


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-scene-") as tmp:
        folder = Path(tmp)
        transitions = [("dissolve", XFADE)] * SHOTS
        durations = [SECONDS] * SHOTS
        plain = [clip(folder / f"shot{k:02d}.mp4", SECONDS) for k in range(SHOTS)]
        house = [
            house_clip(folder / f"house{k:02d}.mp4", timeline.keyframe_times(durations, transitions, k, fps=FPS))
            for k in range(SHOTS)
        ]
        layout = timeline.build(durations, transitions, fps=FPS)
        lines = [
            (tone(folder / f"line{k}.wav", 1.5, 300 + 20 * k), timeline.dialogue_start(layout, k))
            for k in range(0, SHOTS, 2)
        ]
        music = tone(folder / "music.wav", layout.total + 1, 196)

        def mix(clips: list[Path]) -> assemble.SceneMix:
            return assemble.SceneMix(
                clips=clips,
                clip_info=[probe(c) for c in clips],
                timeline=layout,
                encoding=assemble.Encoding(width=1280, height=720, fps=FPS),
                dialogue=[assemble.DialogueClip(p, s) for p, s in lines],
                music=assemble.MusicBed(music, volume=0.3, fade_in=1.0, fade_out=2.0),
            )

        full_mix, smart_mix = mix(plain), mix(house)
        routes: list[str] = []

        async def full() -> None:
            routes.append(await assemble.render(full_mix, folder / "full.mp4"))

        async def smart() -> None:
            routes.append(await assemble.render(smart_mix, folder / "smart.mp4"))

        async def reference() -> None:
            await run_ffmpeg(reference_args(plain, lines, music, layout.total, folder / "reference.mp4"))

        ours_full, theirs = await alternate(full, reference, rounds=3)
        ours_smart, theirs_again = await alternate(smart, reference, rounds=3)
        reference_s = (theirs + theirs_again) / 2
        assert routes == ["full"] * 3 + ["smart"] * 3, routes
        expected = round(layout.total * FPS) / FPS
        print(f"scene_assembly.duration_s: {probe(folder / 'smart.mp4').duration:.3f} (expected {expected:.3f})")
        print(f"scene_assembly.reference_s: {reference_s:.2f}")
        print(f"scene_assembly.full_s: {ours_full:.2f}")
        print(f"scene_assembly.full_ratio: {ours_full / reference_s:.3f} (target <= 1.15)")
        print(f"scene_assembly.smart_s: {ours_smart:.2f}")
        print(f"scene_assembly.smart_ratio: {ours_smart / reference_s:.3f} (target <= 0.35)")


if __name__ == "__main__":
    asyncio.run(main())
