"""Storyboard annotations: name labels, the caption tab, colour swatches and the panel border."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from anime_studio.engines.base import EngineError
from anime_studio.engines.image.storyboard.colors import RGB, ink_of, luminance

INK: RGB = (30, 28, 38)
PAPER: RGB = (250, 248, 242)

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


def _text_size(draw: ImageDraw.ImageDraw, text: str, face: Font) -> tuple[int, int, int]:
    left, top, right, bottom = draw.textbbox((0, 0), text, font=face)
    return int(right - left), int(bottom - top), int(top)


def label(image: Image.Image, typeface: Typeface, text: str, x: float, y: float) -> None:
    """A name pill centred on ``x`` with its top at ``y``, kept inside the frame."""
    if not text:
        return
    text = typeface.clean(text)
    draw = ImageDraw.Draw(image, "RGBA")
    size = max(10, round(min(image.size) * 0.024))
    face = typeface.font(size)
    tw, th, top = _text_size(draw, text, face)
    pad_x, pad_y = size * 0.6, size * 0.35
    box_w, box_h = tw + 2 * pad_x, th + 2 * pad_y
    margin = max(4.0, image.height * 0.012)
    x0 = min(max(margin, x - box_w / 2), image.width - margin - box_w)
    y0 = min(max(margin, y), image.height - margin - box_h)
    draw.rounded_rectangle(
        (x0, y0, x0 + box_w, y0 + box_h), radius=box_h / 2, fill=(*PAPER, 225), outline=(*INK, 200), width=1
    )
    draw.text((x0 + pad_x, y0 + pad_y - top), text, font=face, fill=INK)


def caption_tab(image: Image.Image, typeface: Typeface, heading: str, caption: str) -> None:
    """A small translucent tab in the top-left corner: ``HEADING | caption``."""
    draw = ImageDraw.Draw(image, "RGBA")
    size = max(10, round(min(image.size) * 0.022))
    face = typeface.font(size)
    text = typeface.clean(heading.upper() + (f"  |  {caption}" if caption else ""))
    limit = image.width * 0.8
    while len(text) > 4 and _text_size(draw, text, face)[0] > limit:
        text = text[:-5].rstrip() + "..."
    tw, th, top = _text_size(draw, text, face)
    pad = size * 0.5
    border = _border_width(image)
    draw.rectangle((border, border, border + tw + 2 * pad, border + th + 2 * pad), fill=(*INK, 170))
    draw.text((border + pad, border + pad - top), text, font=face, fill=PAPER)


def swatches(image: Image.Image, typeface: Typeface, colors: list[tuple[str, RGB]]) -> None:
    """Key-colour chips with their part names, stacked in the right margin (character sheets)."""
    draw = ImageDraw.Draw(image, "RGBA")
    size = max(9, round(min(image.size) * 0.02))
    face = typeface.font(size)
    chip = size * 1.5
    x = image.width - _border_width(image) - image.width * 0.03 - chip
    y = image.height * 0.12
    for part, color in colors[:10]:
        draw.rounded_rectangle(
            (x, y, x + chip, y + chip), radius=chip * 0.2, fill=color, outline=ink_of(color), width=1
        )
        text = typeface.clean(part)
        tw, th, top = _text_size(draw, text, face)
        text_color = INK if luminance(PAPER) > 0.5 else PAPER
        draw.text((x - tw - size * 0.5, y + (chip - th) / 2 - top), text, font=face, fill=text_color)
        y += chip * 1.35


def border(image: Image.Image) -> None:
    """The thin dark panel frame."""
    draw = ImageDraw.Draw(image)
    w = _border_width(image)
    draw.rectangle((0, 0, image.width - 1, image.height - 1), outline=INK, width=w)


def _border_width(image: Image.Image) -> int:
    return max(2, round(min(image.size) / 200))
