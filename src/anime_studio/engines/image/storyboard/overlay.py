"""The storyboard's typeface (reported in provenance).

Panels carry no burned-in text: names, captions and colour legends belong to the review views (the
UI draws them from the panel's parameters), never to a picture that can become a shot frame.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PIL import ImageFont

from anime_studio.engines.base import EngineError

# Fonts with wide coverage that Debian-like systems commonly have; the first one present is used.
FONT_CANDIDATES = (
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


class Typeface:
    """The annotation font: a configured file, else a common system font, else Pillow's bundled one."""

    def __init__(self, path: Path | None = None, *, search: bool = True) -> None:
        if path is not None and not path.is_file():
            raise EngineError(f"storyboard font not found: {path}")
        found = path or (next((p for p in FONT_CANDIDATES if p.is_file()), None) if search else None)
        self.path = found
        self.name = found.name if found is not None else "pillow-default"
        self._fonts: dict[int, Font] = {}

    def font(self, size: int) -> Font:
        """The face at ``size`` pixels (cached)."""
        if size not in self._fonts:
            if self.path is not None:
                self._fonts[size] = ImageFont.truetype(str(self.path), size, layout_engine=ImageFont.Layout.BASIC)
            else:
                self._fonts[size] = ImageFont.load_default(size=size)
        return self._fonts[size]

    def clean(self, text: str) -> str:
        """Text this face can show: the bundled font only has ASCII, so fold accents there (Zoë → Zoe)."""
        if self.path is not None:
            return text
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return folded if folded.strip() else "?"
