"""An animatic of a full-length episode on the embedded engines: wall time ÷ episode duration, peak RSS, breakdown.

The scene pipeline's own steps, in its order, without the database and job queue around them: a storyboard
keyframe opens each scene, every shot is a camera move over the previous shot's last frame (continuity
"chain") with IDR frames at its transitions, reviewed by the heuristic reviewer; half the shots speak a line
(espeak-ng, levelled); each scene gets synthesised music and is assembled (smart render, with subtitles); the
scenes are joined into the episode.

Run: ``python benchmarks/episode_length.py`` (22 minutes: 20 scenes × 15 shots); ``--scenes 2`` for a quick look.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from anime_studio.engines.image.base import CharacterHint, ImageRequest, SceneHint
from anime_studio.engines.image.storyboard import StoryboardEngine
from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.synth.engine import SynthMusicEngine
from anime_studio.engines.tts.base import SpeechRequest
from anime_studio.engines.tts.espeak import EspeakEngine
from anime_studio.engines.video.base import VideoRequest
from anime_studio.engines.video.kenburns import KenBurnsEngine
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import HeuristicReviewer
from anime_studio.episodes.assembly import EpisodeBuild, build
from anime_studio.media.loudness import gain_to
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue, to_srt
from anime_studio.scenes.pipeline import assemble, timeline
from anime_studio.scenes.pipeline.audio import DIALOGUE_LEVEL_DBFS
from anime_studio.scenes.pipeline.packets import NotCopyable

HANA = CharacterHint("Hana Aoyama", {"hair": "#1b1b1b", "raincoat": "#f2c14e", "scarf": "#c0392b", "bag": "#7b4b2a"})
SHOT_TYPES = ("establishing", "wide", "medium", "close-up", "medium", "action", "extreme_close-up")
LENGTHS = (4.0, 4.5, 5.0, 5.5, 4.5)  # 15 shots average 4.7 s: 66 s a scene with its transitions
TRANSITIONS = (("dissolve", 0.3), ("cut", 0.0), ("dissolve", 0.3), ("fade", 0.4), ("cut", 0.0), ("wipe", 0.5))
PLACES = ("harbour town", "forest", "classroom", "beach", "lighthouse")
MOODS = ("peaceful", "tense", "melancholy", "joyful", "mysterious")


class Clock:
    """Seconds spent per step, summed over the episode."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = defaultdict(float)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.spent[name] += time.perf_counter() - started


class Engines:
    def __init__(self) -> None:
        self.image, self.video = StoryboardEngine(), KenBurnsEngine()
        self.vision, self.tts, self.music = HeuristicReviewer(), EspeakEngine(), SynthMusicEngine()


async def scene(
    number: int, shots: int, size: tuple[int, int], fps: int, folder: Path, engines: Engines, clock: Clock
) -> tuple[Path, float, list[Cue], str]:
    folder.mkdir()
    width, height = size
    durations = [LENGTHS[(number + k) % len(LENGTHS)] for k in range(shots)]
    transitions = [TRANSITIONS[(number + k) % len(TRANSITIONS)] for k in range(shots)]
    place = PLACES[number % len(PLACES)]
    with clock.step("keyframes"):
        hint = SceneHint(location=place, time_of_day="evening", weather="clear", shot_type=SHOT_TYPES[0])
        start = folder / "keyframe.png"
        await engines.image.generate(ImageRequest("", "", number, width, height, start, characters=(HANA,), scene=hint))
    clips = []
    for k in range(shots):
        request = VideoRequest(
            source_image=start,
            motion_prompt="",
            output_path=folder / f"shot{k:02d}.mp4",
            duration=durations[k],
            fps=fps,
            width=width,
            height=height,
            seed=number * 100 + k,
            shot_type=SHOT_TYPES[k % len(SHOT_TYPES)],
            keyframes=timeline.keyframe_times(durations, transitions, k, fps=fps),
        )
        with clock.step("shot video"):
            result = await engines.video.animate(request)
        with clock.step("review"):
            review = ReviewRequest(result.last_frame_path, expected_width=width, expected_height=height)
            await engines.vision.review(review)
        clips.append(result.path)
        start = result.last_frame_path
    infos = [probe(c) for c in clips]
    layout = timeline.build([i.duration for i in infos], transitions, fps=fps)
    lines: list[assemble.DialogueClip] = []
    cues: list[Cue] = []
    with clock.step("audio"):
        for k in range(1, shots, 2):
            path, text = folder / f"line{k:02d}.wav", f"Line {k} of scene {number}: the lighthouse is dark again."
            await engines.tts.synthesize(SpeechRequest(text=text, output_path=path))
            at = timeline.dialogue_start(layout, k)
            lines.append(assemble.DialogueClip(path, at, await asyncio.to_thread(gain_to, path, DIALOGUE_LEVEL_DBFS)))
            cues.append(Cue(at, at + probe(path).duration, text, "Hana"))
        music = folder / "music.wav"
        mood = MOODS[number % len(MOODS)]
        await engines.music.compose(MusicRequest(mood, layout.total, music, seed=number, fade_in=0.0, fade_out=0.0))
    with clock.step("assembly"):
        subtitles = folder / "scene.srt"
        subtitles.write_text(to_srt(cues))
        mix = assemble.SceneMix(
            clips=clips,
            clip_info=infos,
            timeline=layout,
            encoding=assemble.Encoding(width=width, height=height, fps=fps),
            dialogue=lines,
            music=assemble.MusicBed(music),
            subtitles=subtitles,
        )
        output = folder.parent / f"scene{number:02d}.mp4"
        route = await assemble.render(mix, output, dialogue_stem=folder / "dialogue.wav")
    return output, layout.total, cues, route


async def _never(*args: object) -> None:
    raise NotCopyable("--full-render")


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (ffmpeg), user + system."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _rss_mib() -> tuple[float, float]:
    """Peak resident memory of this process and of the largest child (ffmpeg), in MiB (Linux: KiB units)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenes", type=int, default=20)
    parser.add_argument("--shots", type=int, default=15, help="shots per scene")
    parser.add_argument("--size", default="1024x576", help="the default project style's frame")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--full-render", action="store_true", help="assemble scenes the old way, for comparison")
    options = parser.parse_args()
    if options.full_render:
        assemble._smart = _never  # type: ignore[assignment]
    size = tuple(int(v) for v in options.size.split("x"))
    engines, clock = Engines(), Clock()
    with tempfile.TemporaryDirectory(prefix="bench-episode-length-") as tmp:
        folder = Path(tmp)
        started, cpu = time.perf_counter(), _cpu_s()
        scenes, offset, cues, routes = [], 0.0, [], []
        for number in range(options.scenes):
            output, duration, lines, route = await scene(
                number, options.shots, (size[0], size[1]), options.fps, folder / f"scene{number:02d}", engines, clock
            )
            scenes.append(output)
            routes.append(route)
            cues += [Cue(c.start + offset, c.end + offset, c.text, c.speaker) for c in lines]
            offset += duration
        with clock.step("episode join"):
            subtitles = folder / "episode.srt"
            subtitles.write_text(to_srt(cues))
            episode = folder / "episode.mp4"
            await build(EpisodeBuild(sources=scenes, output=episode, subtitles=subtitles, title="bench"))
        wall, cpu = time.perf_counter() - started, _cpu_s() - cpu
        duration = probe(episode).duration
    own, child = _rss_mib()
    shots = options.scenes * options.shots
    print(f"episode_length.scenes: {options.scenes} ({shots} shots, {len(cues)} lines, {options.size}@{options.fps})")
    print(f"episode_length.duration_s: {duration:.1f} (timeline {offset:.1f})")
    print(f"episode_length.wall_s: {wall:.1f}")
    print(f"episode_length.ratio: {wall / duration:.3f} (wall ÷ duration, target <= 0.5)")
    # On a shared machine the wall clock includes waiting for other people's work; the CPU seconds do not.
    # Spread over two otherwise idle cores they are the floor the wall clock would approach.
    print(f"episode_length.cpu_s: {cpu:.1f} (cpu ÷ 2 cores ÷ duration: {cpu / 2 / duration:.3f})")
    print(f"episode_length.peak_rss_mib: python {own:.0f}, largest child {child:.0f} (target < 1536)")
    print(f"episode_length.smart_scenes: {routes.count('smart')}/{len(routes)}")
    for name, seconds in sorted(clock.spent.items(), key=lambda item: -item[1]):
        print(f"episode_length.{name.replace(' ', '_')}_s: {seconds:.1f} ({seconds / wall:.0%})")


if __name__ == "__main__":
    asyncio.run(main())
