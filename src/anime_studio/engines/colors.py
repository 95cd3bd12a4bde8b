"""Reading the colours users type (key colours, palettes): hex, ``rgb()``, CSS names, forgiving spacing."""

from __future__ import annotations

import re

from PIL import ImageColor

RGB = tuple[int, int, int]


def parse_color(value: str) -> RGB | None:
    """Parse ``#hex``, ``rgb()`` or a CSS name, forgiving spaces ("light blue") and extra words ("dusty rose")."""
    text = value.strip().lower()
    if not text:
        return None
    candidates = [text, text.replace(" ", "").replace("-", "").replace("_", "")]
    # "dusty lavender" is no CSS name, but its last colour word is.
    candidates += list(reversed(re.findall(r"[a-z]+", text)))
    for candidate in candidates:
        try:
            rgb = ImageColor.getrgb(candidate)
        except ValueError:
            continue
        return (rgb[0], rgb[1], rgb[2])
    return None
