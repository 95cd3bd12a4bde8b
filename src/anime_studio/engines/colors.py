"""The studio's colour vocabulary: every place that reads a colour a user (or a draft) wrote reads it here.

Understood: ``#hex``, ``rgb()``, the CSS/X11 names Pillow knows, the art and fashion words people
write in character designs (cream, golden, amber, ivory, navy, teal, silver, …), forgiving spacing
("light blue"), shade modifiers ("pale", "dark", "deep") and extra words ("dusty rose fur").
"""

from __future__ import annotations

import re

from PIL import ImageColor

RGB = tuple[int, int, int]

# Art, hair and fashion words that are not CSS names (or mean something else there: CSS "gold" is a
# flat yellow, "golden" fur is warmer). Values are the usual swatch of each word.
ART_COLOURS: dict[str, RGB] = {
    "amber": (255, 191, 0), "apricot": (251, 206, 177), "ash": (178, 190, 181), "auburn": (145, 50, 40),
    "blond": (240, 220, 150), "blonde": (240, 220, 150), "blush": (222, 93, 131), "bronze": (205, 127, 50),
    "brunette": (92, 58, 33), "burgundy": (128, 0, 32), "butter": (255, 241, 150), "caramel": (193, 126, 60),
    "carmine": (150, 0, 24), "celadon": (172, 225, 175), "cerulean": (0, 123, 167), "champagne": (247, 231, 206),
    "charcoal": (54, 69, 79), "cherry": (210, 4, 45), "chestnut": (149, 69, 53), "cinnamon": (210, 105, 30),
    "cobalt": (0, 71, 171), "copper": (184, 115, 51), "cream": (255, 248, 214), "creamy": (255, 248, 214),
    "ebony": (40, 36, 34), "emerald": (80, 200, 120), "fawn": (229, 170, 112), "ginger": (196, 98, 16),
    "golden": (232, 170, 40), "graphite": (65, 66, 76), "hazel": (142, 118, 24), "honey": (235, 150, 5),
    "jade": (0, 168, 107), "jet": (35, 35, 38), "lemon": (255, 244, 79), "lilac": (200, 162, 200),
    "mahogany": (192, 64, 0), "mauve": (224, 176, 255), "mint": (152, 255, 152), "mustard": (225, 173, 1),
    "ochre": (204, 119, 34), "platinum": (229, 228, 226), "rose": (255, 0, 127), "ruby": (224, 17, 95),
    "rust": (183, 65, 14), "sage": (188, 184, 138), "sand": (194, 178, 128), "sandy": (222, 190, 140),
    "sapphire": (15, 82, 186), "scarlet": (255, 36, 0), "sepia": (112, 66, 20),
    "strawberry": (252, 90, 141), "tangerine": (242, 133, 0), "taupe": (72, 60, 50), "vermilion": (227, 66, 52),
    "wine": (114, 47, 55), "russet": (128, 70, 27), "pearl": (234, 224, 200),
    "raven": (30, 30, 40),
}  # fmt: skip

# Words that shade the colour they qualify ("pale blue", "deep red").
LIGHTER = {"light": 0.35, "pale": 0.5, "pastel": 0.55, "soft": 0.25, "faded": 0.3, "bright": 0.1}
DARKER = {"dark": 0.35, "deep": 0.3, "dim": 0.25, "shadowy": 0.35, "muted": 0.15, "dusky": 0.25}
# Suffixes people put on colour words: "reddish", "bluish", "orangey", "goldish".
_SUFFIX = re.compile(r"(?:dish|ish|ey|y)$")


def parse_color(value: str) -> RGB | None:
    """The colour a user meant, or ``None`` when the text names none (never an invented one)."""
    text = value.strip().lower()
    if not text:
        return None
    whole = _lookup(text) or _lookup(re.sub(r"[\s_-]+", "", text))
    if whole is not None:
        return whole
    tokens = re.findall(r"[a-z]+", text)
    # "dusty rose fur": the last word that is a colour is the colour; a shade word before it shades it.
    for index in range(len(tokens) - 1, -1, -1):
        found = _word(tokens[index])
        if found is None:
            continue
        return _shade(found, tokens[:index])
    return None


def is_color_word(word: str) -> bool:
    """Whether one word names a colour by itself ("cream", "teal", "reddish"; not "fur", not "dark")."""
    return _word(word.strip().lower()) is not None


def is_shade_word(word: str) -> bool:
    return word.strip().lower() in LIGHTER or word.strip().lower() in DARKER


def _lookup(text: str) -> RGB | None:
    if text in ART_COLOURS:
        return ART_COLOURS[text]
    try:
        rgb = ImageColor.getrgb(text)
    except ValueError:
        return None
    return (rgb[0], rgb[1], rgb[2])


def _word(word: str) -> RGB | None:
    if not word.isalpha() or word in LIGHTER or word in DARKER:
        return None
    found = _lookup(word)
    if found is None and len(word) > 4:
        stem = _SUFFIX.sub("", word)
        for candidate in (stem, stem + "e", stem[:-1] if stem.endswith(stem[-1] * 2) else stem):
            found = found or _lookup(candidate)
    return found


def _shade(color: RGB, before: list[str]) -> RGB:
    shade = before[-1] if before else ""
    if shade in LIGHTER:
        t = LIGHTER[shade]
        return _blend(color, (255, 255, 255), t)
    if shade in DARKER:
        return _blend(color, (0, 0, 0), DARKER[shade])
    return color


def _blend(a: RGB, b: RGB, t: float) -> RGB:
    return (round(a[0] + (b[0] - a[0]) * t), round(a[1] + (b[1] - a[1]) * t), round(a[2] + (b[2] - a[2]) * t))
