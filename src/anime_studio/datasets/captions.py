"""Per-character dataset settings (trigger word, repeats, target) and the captions trainers read."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from anime_studio.characters.models import Character
from anime_studio.characters.prompts import is_non_human, join_terms, split_terms
from anime_studio.common.inputs import RequestModel
from anime_studio.datasets import files
from anime_studio.engines.colors import parse_color

SETTINGS_FILE = "dataset.json"
MAX_CAPTION = 2000
_COMPOSITION = {"full": "full body", "partial": "upper body", "face": "portrait"}


class DatasetSettings(RequestModel):
    trigger: str = Field(default="", max_length=64, pattern=r"^[A-Za-z0-9_][A-Za-z0-9_ -]*$|^$")
    """The token the LoRA learns the character under (kohya's class folder name); blank: the slug."""
    repeats: int = Field(default=10, ge=1, le=100)
    target: int = Field(default=20, ge=1, le=10_000)
    """Approved images wanted for training."""


def default_trigger(character: Character) -> str:
    return re.sub(r"[^a-z0-9]+", "_", character.slug.lower()).strip("_") or "character"


def load_settings(folder: Path, character: Character) -> DatasetSettings:
    """``dataset.json`` beside ``approval_status.json``; defaults when absent or unreadable."""
    path = folder / SETTINGS_FILE
    try:
        settings = DatasetSettings.model_validate_json(path.read_bytes()) if path.is_file() else DatasetSettings()
    except (ValidationError, OSError):
        settings = DatasetSettings()
    return settings if settings.trigger else settings.model_copy(update={"trigger": default_trigger(character)})


def save_settings(folder: Path, settings: DatasetSettings) -> None:
    files.write_atomic(folder / SETTINGS_FILE, json.dumps(settings.model_dump(), indent=2).encode())


def update_settings(folder: Path, character: Character, settings: DatasetSettings) -> DatasetSettings:
    """Store new settings; a new trigger word replaces the old one at the head of every caption that starts with it."""
    before = load_settings(folder, character).trigger
    save_settings(folder, settings)
    after = settings.trigger or default_trigger(character)
    retrigger(folder / "images", before, after)
    return settings.model_copy(update={"trigger": after})


def _colour_tag(part: str, value: str) -> str:
    """``blue hair`` for named colours; hex codes say nothing to a tagger, so just the part then."""
    value, part = value.strip(), part.strip()
    if value.startswith("#") or parse_color(value) is None:
        return part
    return f"{value} {part}"


def caption_for(*, character: Character, trigger: str, review: dict[str, Any]) -> str:
    """Trigger word, then the character's tags (appearance + design prompt), then what the image shows."""
    appearance = character.appearance_data or {}
    species = str(appearance.get("species", "")).strip()
    tags: list[str] = [trigger]
    if species and is_non_human(species):
        tags.append(re.sub(r"\(?\s*not human\s*\)?", "", species, flags=re.IGNORECASE).strip(" ,"))
    tags += [_colour_tag(str(k), str(v)) for k, v in dict(appearance.get("key_colors", {})).items()]
    tags += [str(f) for f in appearance.get("key_features", [])]
    tags += split_terms(character.design_prompt)
    if review.get("solo"):
        tags.append("solo")
    tags.append(_COMPOSITION.get(str(review.get("completeness")), ""))
    tags += split_terms(str(review.get("description") or ""))
    return join_terms(tags)[:MAX_CAPTION]


def caption_file(image: Path) -> Path:
    return image.with_suffix(".txt")


def read_caption(image: Path) -> str:
    path = caption_file(image)
    return path.read_text(errors="replace") if path.is_file() else ""


def write_caption(image: Path, caption: str) -> None:
    files.write_atomic(caption_file(image), caption.strip().encode())


def retrigger(images: Path, old: str, new: str) -> int:
    """Swap the leading trigger word of every caption in ``images`` from ``old`` to ``new``; returns the count."""
    changed = 0
    if old == new or not images.is_dir():
        return changed
    for path in sorted(images.glob("*.txt")):
        terms = split_terms(path.read_text(errors="replace"))
        if terms and terms[0] == old:
            files.write_atomic(path, join_terms([new, *terms[1:]]).encode())
            changed += 1
    return changed
