"""Write the Approve test's media into a folder: three storyboard sheets of Pip and a short video with a cut.

Usage: python dataset_media.py OUT_DIR  (prints the file names as JSON)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PIL import Image, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.engines.samples import PIP, image_request

from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.media.ffmpeg import ffmpeg_exe


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, prompt, seed in (("video-a", "full body", 7), ("pose-1", "portrait", 7), ("pose-2", "full body", 21),
                               ("pose-3", "upper body, waving", 3)):  # fmt: skip
        request = image_request(
            out / f"{name}.png", scene=None, characters=(PIP,), prompt=prompt, seed=seed, width=768, height=768
        )
        data, _ = render_png(request, Typeface())
        (out / f"{name}.png").write_bytes(data)
    with Image.open(out / "video-a.png") as image:
        ImageOps.mirror(image).save(out / "video-b.png")
    # 2 s of one pose | 1 s black | 2 s of the mirrored pose: two usable frames, a duplicate and a black one
    graph = (
        "[0]scale=768:768,format=yuv420p[a];color=black:size=768x768:rate=24:d=1,format=yuv420p[b];"
        "[1]scale=768:768,format=yuv420p[c];[a][b][c]concat=n=3:v=1[v]"
    )
    subprocess.run(
        [ffmpeg_exe(), "-y", "-loglevel", "error", "-loop", "1", "-framerate", "24", "-t", "2", "-i",
         str(out / "video-a.png"), "-loop", "1", "-framerate", "24", "-t", "2", "-i", str(out / "video-b.png"),
         "-filter_complex", graph, "-map", "[v]", "-c:v", "libx264", "-pix_fmt", "yuv420p", str(out / "pip.mp4")],
        check=True,
    )  # fmt: skip
    print(json.dumps({"video": "pip.mp4", "images": ["pose-1.png", "pose-2.png", "pose-3.png"]}))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
