"""Dataset ingestion on the embedded engines: frames/s of video sampling and images/s of vision triage.

Run: ``python benchmarks/dataset_ingestion.py``. Prints ``name: value`` lines. Not part of the test suite.
The video is 60 s of 1280×720 with a cut every 5 s; each picked frame goes through what the ingestion run
does per frame before the database: unusable-frame check, perceptual fingerprint, heuristic review, decision.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).parent))
from common import ffmpeg

from anime_studio.datasets import frames, hashing
from anime_studio.datasets.review import decide
from anime_studio.engines.image.base import CharacterHint, ImageRequest
from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import review_image
from anime_studio.quality.models import DEFAULT_GATES
from anime_studio.quality.service import Gates

HANA = CharacterHint("Hana Aoyama", {"hair": "#1b1b1b", "raincoat": "#f2c14e", "scarf": "#c0392b", "bag": "#7b4b2a"})
PIP = CharacterHint(
    "Pip", {"body": "#f39c12", "glow": "#ffd166", "frame": "#5d4037"}, "lantern spirit (NOT human)", False
)

GATES = Gates(**{name: value for name, (value, _) in DEFAULT_GATES.items()})


def cut_video(path: Path) -> Path:
    sources = ["testsrc2", "smptehdbars", "mandelbrot", "rgbtestsrc", "testsrc", "cellauto"] * 2
    inputs: list[str | Path] = []
    for source in sources:
        inputs += ["-f", "lavfi", "-t", "5", "-i", f"{source}=s=1280x720:r=24"]
    graph = "".join(f"[{i}]format=yuv420p,scale=1280:720,setsar=1[v{i}];" for i in range(len(sources)))
    graph += "".join(f"[v{i}]" for i in range(len(sources))) + f"concat=n={len(sources)}:v=1[out]"
    ffmpeg(*inputs, "-filter_complex", graph, "-map", "[out]", "-c:v", "libx264", "-preset", "veryfast", path)
    return path


def triage(path: Path, request: ReviewRequest) -> None:
    with Image.open(path) as image:
        picture = image.convert("RGB")
    frames.unusable(picture)
    hashing.fingerprint(picture)
    scores = review_image(request)
    decide(scores=scores, is_human=request.is_human, species=request.species, gates=GATES)


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        video = cut_video(folder / "cuts.mp4")
        started = time.perf_counter()
        picked = await frames.sample(video, folder / "frames", every=2.0)
        sampled = time.perf_counter() - started
        for frame in picked:
            triage(frame.path, ReviewRequest(image_path=frame.path, key_colors=dict(HANA.key_colors)))
        total = time.perf_counter() - started
        print(f"video_frames_picked: {len(picked)} from 60 s (cuts every 5 s, one frame every 2 s)")
        print(f"video_sampling_seconds: {sampled:.2f} ({60 / sampled:.1f}× real time)")
        print(f"video_ingestion_frames_per_second: {len(picked) / total:.2f} (sampling + per-frame triage)")

        sheets = []
        for i, cast in enumerate((HANA, PIP) * 10):
            request = ImageRequest("full body", "", i, 768, 768, folder / f"s{i}.png", characters=(cast,))
            data, _ = render_png(request, Typeface())
            request.output_path.write_bytes(data)
            sheets.append((request.output_path, cast))
        times = []
        for path, cast in sheets:
            request = ReviewRequest(
                image_path=path, species=cast.species, is_human=cast.is_human, key_colors=dict(cast.key_colors)
            )
            started = time.perf_counter()
            triage(path, request)
            times.append(time.perf_counter() - started)
        print(f"triage_images_per_second: {1 / statistics.median(times):.1f} (768×768, heuristic reviewer)")


if __name__ == "__main__":
    asyncio.run(main())
