"""Shared sample data for engine tests: the demo project's characters and palette, test images."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from anime_studio.engines.image.base import CharacterHint, ImageRequest, SceneHint
from anime_studio.engines.llm.base import CharacterBrief, StoryContext
from anime_studio.engines.video.base import VideoRequest

PALETTE = {
    "primary": ["#1f3b5b", "#f2a541"],
    "secondary": ["#3d5a80", "#e07a5f"],
    "accent": ["#ffd166"],
    "background": ["#0d1b2a", "#415a77"],
}
HANA = CharacterHint("Hana Aoyama", {"hair": "#1b1b1b", "raincoat": "#f2c14e", "scarf": "#c0392b", "bag": "#7b4b2a"})
PIP = CharacterHint(
    "Pip", {"body": "#f39c12", "glow": "#ffd166", "frame": "#5d4037"}, "lantern spirit (NOT human)", False
)
KAI = CharacterHint("Kai Mori", {"hair": "silver", "jacket": "dark slate blue", "pants": "#222222"})


def image_request(path: Path, **changes: object) -> ImageRequest:
    """A 512x288 storyboard request of Hana and Pip on a rainy harbour evening; override any field."""
    fields: dict[str, object] = {
        "prompt": "hana delivers the last letter",
        "negative": "",
        "seed": 7,
        "width": 512,
        "height": 288,
        "output_path": path,
        "characters": (HANA, PIP),
        "scene": SceneHint(
            location="harbour town", time_of_day="evening", weather="rain", mood="melancholy", palette=PALETTE
        ),
    }
    fields.update(changes)
    return ImageRequest(**fields)  # type: ignore[arg-type]


def video_request(source: Path, out: Path, **changes: object) -> VideoRequest:
    """A one-second 320x180 establishing shot at 12 fps that zooms in on ``source``; override any field."""
    fields: dict[str, object] = {
        "source_image": source,
        "motion_prompt": "camera slowly zooms in on the location",
        "output_path": out,
        "duration": 1.0,
        "fps": 12,
        "width": 320,
        "height": 180,
        "seed": 3,
        "shot_type": "establishing",
    }
    fields.update(changes)
    return VideoRequest(**fields)  # type: ignore[arg-type]


def textured_image(path: Path, size: tuple[int, int] = (640, 360)) -> Path:
    """A gradient with a grid of discs: enough structure to see any camera move."""
    w, h = size
    xs = np.linspace(0, 255, w, dtype=np.float32)[None, :]
    ys = np.linspace(0, 255, h, dtype=np.float32)[:, None]
    rgb = np.stack([np.broadcast_to(xs, (h, w)), np.broadcast_to(ys, (h, w)), np.full((h, w), 120.0)], axis=-1)
    image = Image.fromarray(rgb.astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    for i in range(8):
        for j in range(5):
            x, y = (i + 0.5) * w / 8, (j + 0.5) * h / 5
            r = min(w, h) / 20
            draw.ellipse((x - r, y - r, x + r, y + r), fill=(250 - 25 * i, 30 + 40 * j, 200))
    image.save(path)
    return path


def pixels(path: Path) -> np.ndarray:
    """An image file as an RGB uint8 array."""
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


SCRIPT = (Path(__file__).parent / "data" / "last_lantern.fountain").read_text()
CHARACTERS = [
    CharacterBrief(
        name="Mira Sato", slug="mira", role="protagonist", design_prompt="1girl, red scarf, yellow raincoat"
    ),
    CharacterBrief(name="Kenji Arai", slug="kenji", role="lighthouse keeper", design_prompt="1boy, navy sweater"),
]
STORY = StoryContext(
    project_name="Lantern",
    title="The Last Lantern",
    summary="Mira races a storm to help Kenji keep the lighthouse burning.",
    script=SCRIPT,
    tone="hopeful",
    art_style="soft watercolor anime",
    characters=CHARACTERS,
)
"""A short Fountain screenplay with two speaking characters, as the language engines see a project."""
