"""Where files live under the media root. Paths are built only from validated slugs and ids."""

from __future__ import annotations

import re
from pathlib import Path

from anime_studio.errors import Invalid

_SAFE_SEGMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")


def safe_segment(value: str) -> str:
    """A single path segment: no separators, no ``..``, no leading dot."""
    if not _SAFE_SEGMENT.match(value) or ".." in value:
        raise Invalid(f"unsafe path segment: {value!r}")
    return value


class MediaPaths:
    """The studio's file layout (spec "Key Paths") under one root."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()

    def inside(self, path: Path | str) -> Path:
        """Resolve ``path`` (relative to the root, or absolute) and refuse anything outside the root."""
        resolved = (self.root / path).resolve()
        if not resolved.is_relative_to(self.root):
            raise Invalid("path escapes the media root")
        return resolved

    def relative(self, path: Path) -> str:
        """The root-relative POSIX form stored in the database."""
        return self.inside(path).relative_to(self.root).as_posix()

    def dataset(self, project_slug: str, character_slug: str) -> Path:
        """``datasets/{project}/{character}``: character slugs are unique per project, so the project scopes them."""
        return self.root / "datasets" / safe_segment(project_slug) / safe_segment(character_slug)

    def dataset_images(self, project_slug: str, character_slug: str) -> Path:
        return self.dataset(project_slug, character_slug) / "images"

    def reference_images(self, project_slug: str, character_slug: str) -> Path:
        return self.dataset(project_slug, character_slug) / "reference_images"

    def character_videos(self, project_slug: str, character_slug: str) -> Path:
        return self.dataset(project_slug, character_slug) / "videos"

    def scene_dir(self, project_slug: str, scene_id: int) -> Path:
        return self.root / "output" / "scenes" / safe_segment(project_slug) / f"scene_{scene_id}"

    def scenes_output(self, project_slug: str) -> Path:
        return self.root / "output" / "scenes" / safe_segment(project_slug)

    def episodes_output(self, project_slug: str) -> Path:
        return self.root / "output" / "episodes" / safe_segment(project_slug)

    def uploads(self) -> Path:
        return self.root / "uploads"

    def thumbnails(self) -> Path:
        return self.root / ".thumbnails"
