"""Appearance from a design prompt, by rules: colour + part terms, species words, features, opposites."""

from __future__ import annotations

import re

from PIL import ImageColor

from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import AppearanceDraft

# Anime colour words Pillow does not know, as CSS-ish names it does (or hex).
EXTRA_COLOURS = {
    "amber": "#ffbf00", "auburn": "#a52a2a", "blonde": "#faf0be", "blond": "#faf0be", "brunette": "#5c3a21",
    "copper": "#b87333", "cream": "#fffdd0", "emerald": "#50c878", "golden": "#ffd700", "jade": "#00a86b",
    "lavender": "#e6e6fa", "mint": "#98ff98", "platinum": "#e5e4e2", "rose": "#ff007f", "ruby": "#e0115f",
    "sapphire": "#0f52ba", "scarlet": "#ff2400", "teal": "#008080", "turquoise": "#40e0d0",
}  # fmt: skip
_HUMAN = (
    "1girl 2girls 1boy 2boys girl boy woman man lady gentleman person human child kid teen teenager "
    "schoolgirl schoolboy princess prince knight witch wizard student"
)
_CREATURE = (
    "creature spirit monster animal beast robot android mech dragon cat dog fox wolf rabbit bunny bird owl "
    "fish slime ghost demon yokai lantern mushroom plant tree golem elemental fairy sprite blob mascot"
)
HUMAN_WORDS = frozenset(_HUMAN.split())
CREATURE_WORDS = frozenset(_CREATURE.split())
GENERIC_CREATURES = frozenset({"creature", "spirit", "monster", "animal", "beast"})
COUNT_TAGS = re.compile(r"^(\d+(girl|boy)s?|solo|masterpiece|best quality|high quality|anime( style)?)$")
OPPOSITES = {"short": "long", "long": "short", "straight": "curly", "curly": "straight", "small": "large"}
MAX_FEATURES = 6


def _colour(word: str) -> str | None:
    if word in EXTRA_COLOURS:
        return word
    try:
        ImageColor.getrgb(word)
    except ValueError:
        return None
    return word


def _terms(design_prompt: str) -> list[str]:
    return [t.strip().lower() for t in re.split(r"[,\n]", design_prompt) if t.strip()]


def _species(name: str, terms: list[str]) -> str:
    words = {w for t in terms for w in re.findall(r"[a-z0-9]+", t)}
    if words & HUMAN_WORDS:
        return "human"
    creature = next((t for t in terms if set(t.split()) & CREATURE_WORDS), "")
    if creature:
        nouns = [w for w in creature.split() if w in CREATURE_WORDS]
        specific = [w for w in nouns if w not in GENERIC_CREATURES]  # "lantern" says more than "creature"
        return f"{' '.join((specific or nouns)[:1] + [w for w in nouns if w in GENERIC_CREATURES][:1])} (NOT human)"
    return "human"


def _colours(terms: list[str]) -> dict[str, str]:
    """``yellow raincoat`` → raincoat: yellow; ``short black bob hair`` → hair: black (last word is the part)."""
    found: dict[str, str] = {}
    for term in terms:
        words = term.split()
        colours = [w for w in words[:-1] if _colour(w)]
        if colours and len(words) >= 2 and not _colour(words[-1]):
            found.setdefault(words[-1], colours[0])
    return found


def _errors(terms: list[str], species: str) -> list[str]:
    errors = []
    for term in terms:
        words = term.split()
        if words and words[0] in OPPOSITES and len(words) >= 2:
            errors.append(" ".join([OPPOSITES[words[0]], *words[1:]]))
    if "not human" in species.lower():
        errors += ["human hands", "clothes"] if not any("clothes" in t or "dress" in t for t in terms) else []
    return errors[:MAX_FEATURES]


def describe(name: str, design_prompt: str) -> AppearanceDraft:
    """Draft appearance data from the design prompt's own terms."""
    terms = [t for t in _terms(design_prompt) if not COUNT_TAGS.match(t) and t != name.lower()]
    if not terms:
        raise EngineError(f"{name or 'the character'} has no design prompt to describe")
    species = _species(name, _terms(design_prompt))
    return AppearanceDraft(
        species=species,
        key_colors=_colours(terms),
        key_features=terms[:MAX_FEATURES],
        common_errors=_errors(terms, species),
    )
