"""The kohya-layout dataset: ``{repeats}_{trigger}/`` folders of images with a same-name ``.txt`` caption.

Images go into aspect-ratio buckets of about ``resolution²`` pixels (sides a multiple of what the VAE and UNet
divide by), so a portrait stays a portrait instead of being cropped to a square.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from anime_studio.engines.base import EngineError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp"}
_FOLDER = re.compile(r"^(\d+)_(.+)$")


@dataclass(frozen=True)
class Sample:
    image: Path
    caption: str
    repeats: int


@dataclass(frozen=True)
class Prepared:
    """One image resized into its bucket; ``original`` and ``crop`` are (height, width) / (top, left) for SDXL."""

    index: int
    caption: str
    repeats: int
    bucket: tuple[int, int]
    original: tuple[int, int]
    crop: tuple[int, int]


def read_dataset(folder: Path) -> list[Sample]:
    """Every image of every ``{repeats}_{name}`` folder under ``folder`` (or ``folder`` itself if it is one)."""
    if not folder.is_dir():
        raise EngineError(f"dataset folder {folder} does not exist or is not a folder")
    try:
        subfolders = [folder] if _FOLDER.match(folder.name) else sorted(p for p in folder.iterdir() if p.is_dir())
        samples = [s for sub in subfolders if (m := _FOLDER.match(sub.name)) for s in _read_folder(sub, m)]
    except OSError as exc:
        raise EngineError(f"cannot read dataset folder {folder}: {exc}") from exc
    if not samples:
        raise EngineError(f"dataset folder {folder} has no images in a {{repeats}}_{{trigger}} folder (kohya layout)")
    return samples


def _read_folder(sub: Path, match: re.Match[str]) -> list[Sample]:
    repeats, class_token = max(1, int(match.group(1))), match.group(2)
    samples = []
    for image in sorted(p for p in sub.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()):
        caption_file = image.with_suffix(".txt")
        caption = caption_file.read_text(encoding="utf-8").strip() if caption_file.is_file() else ""
        # kohya's rule: an image without a caption is captioned with its folder's class token.
        samples.append(Sample(image, caption or class_token, repeats))
    return samples


def buckets(resolution: int, step: int) -> list[tuple[int, int]]:
    """(height, width) pairs with at most ``resolution²`` pixels, each side a multiple of ``step``, ratio ≤ 2."""
    area = resolution * resolution
    sizes = {(resolution // step * step, resolution // step * step)}
    width = step
    while width <= resolution * 2:
        height = min(area // width // step * step, resolution * 2)
        if height >= step and max(width, height) <= 2 * min(width, height):
            sizes.update({(height, width), (width, height)})
        width += step
    return sorted(sizes)


def fit(image: Image.Image, sizes: list[tuple[int, int]], bucketing: bool) -> tuple[Image.Image, tuple[int, int]]:
    """The image scaled to cover its bucket and centre-cropped to it; also the crop's (top, left)."""
    ratio = image.height / image.width
    if bucketing:
        height, width = min(sizes, key=lambda s: (abs(s[0] / s[1] - ratio), -s[0] * s[1]))
    else:
        height, width = max((s for s in sizes if s[0] == s[1]), key=lambda s: s[0])
    scale = max(height / image.height, width / image.width)
    scaled = image.resize(
        (max(width, round(image.width * scale)), max(height, round(image.height * scale))), Image.Resampling.LANCZOS
    )
    top, left = (scaled.height - height) // 2, (scaled.width - width) // 2
    return scaled.crop((left, top, left + width, top + height)), (top, left)


def open_rgb(path: Path) -> Image.Image:
    try:
        with Image.open(path) as image:
            return image.convert("RGB")
    except (OSError, UnidentifiedImageError) as exc:
        raise EngineError(f"cannot read dataset image {path.name}: {exc}") from exc


def epoch_batches(items: list[Prepared], batch_size: int, seed: int, epoch: int) -> list[list[Prepared]]:
    """The epoch's batches: each image ``repeats`` times, batches never mix buckets, order fixed by seed and epoch
    (so a resumed run sees the same epochs as one that never stopped)."""
    rng = random.Random(seed * 100_003 + epoch)
    by_bucket: dict[tuple[int, int], list[Prepared]] = {}
    for item in items:
        by_bucket.setdefault(item.bucket, []).extend([item] * item.repeats)
    batches: list[list[Prepared]] = []
    for bucket in sorted(by_bucket):
        members = by_bucket[bucket]
        rng.shuffle(members)
        batches.extend(members[i : i + batch_size] for i in range(0, len(members), batch_size))
    rng.shuffle(batches)
    return batches


def steps_per_epoch(items: list[Prepared], batch_size: int) -> int:
    per_bucket: dict[tuple[int, int], int] = {}
    for item in items:
        per_bucket[item.bucket] = per_bucket.get(item.bucket, 0) + item.repeats
    return sum(-(-count // batch_size) for count in per_bucket.values())
