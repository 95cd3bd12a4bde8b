"""Episode assembly of 10 scene files vs a plain ``ffmpeg -f concat -c copy`` of the same files."""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import alternate, clip

from anime_studio.episodes.assembly import EpisodeBuild, build
from anime_studio.media.ffmpeg import run_ffmpeg
from anime_studio.media.probe import probe
from anime_studio.media.subtitles import Cue, to_srt

SCENES, SECONDS = 10, 60.0  # ten one-minute scenes: a ten-minute episode


async def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-episode-") as tmp:
        folder = Path(tmp)
        scenes = [clip(folder / f"scene{k:02d}.mp4", SECONDS, audio=True) for k in range(SCENES)]
        subtitles = folder / "episode.srt"
        subtitles.write_text(
            to_srt([Cue(k * SECONDS + 1, k * SECONDS + 3, f"line {k}", "Hana") for k in range(SCENES)])
        )
        listing = folder / "list.txt"
        listing.write_text("".join(f"file '{s}'\n" for s in scenes))

        async def ours() -> None:
            await build(EpisodeBuild(sources=scenes, output=folder / "ours.mp4", subtitles=subtitles, title="bench"))

        async def reference() -> None:
            await run_ffmpeg(["-f", "concat", "-safe", "0", "-i", listing, "-c", "copy", folder / "reference.mp4"])

        mine, theirs = await alternate(ours, reference, rounds=5)
        info = probe(folder / "ours.mp4")
        expected = SCENES * SECONDS
        print(
            f"episode_assembly.duration_s: {info.duration:.2f} (expected {expected:.2f}), subs: {info.subtitle_codecs}"
        )
        print(f"episode_assembly.ours_s: {mine:.3f}")
        print(f"episode_assembly.reference_s: {theirs:.3f}")
        print(f"episode_assembly.ratio: {mine / theirs:.3f} (target <= 1.10)")


if __name__ == "__main__":
    asyncio.run(main())
