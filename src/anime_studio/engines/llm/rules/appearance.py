"""Appearance from a design prompt, by rules: colour + part terms, the user's species words, features, errors.

Colours are read with the studio's one colour vocabulary (``engines.colors``), so every colour the
draft writes is one the storyboard, the reviewer and the UI swatches can read back.
"""

from __future__ import annotations

import re

from anime_studio.engines.anatomy import tail_count
from anime_studio.engines.base import EngineError
from anime_studio.engines.colors import is_color_word, is_shade_word
from anime_studio.engines.llm.base import AppearanceDraft

_HUMAN = (
    "1girl 2girls 1boy 2boys girl boy woman man lady gentleman person human child kid teen teenager "
    "schoolgirl schoolboy princess prince knight witch wizard student"
)
_CREATURE = (
    "creature spirit monster animal beast robot android mech dragon cat dog fox wolf rabbit bunny bird owl "
    "fish slime ghost demon yokai lantern mushroom plant tree golem elemental fairy sprite blob mascot kitsune "
    "tanuki bear mouse hamster puppy kitten raccoon squirrel penguin duck crow"
)
HUMAN_WORDS = frozenset(_HUMAN.split())
CREATURE_WORDS = frozenset(_CREATURE.split())
COUNT_TAGS = re.compile(r"^(\d+(girl|boy)s?|solo|masterpiece|best quality|high quality|anime( style)?)$")
# A colour word names the part that follows it, up to one of these ("indigo kimono with red obi").
_BREAKS = frozenset({"with", "and", "in", "on", "of", "wearing", "under", "over", "plus", "holding", "&"})
_FILLER = frozenset({"a", "an", "the"})
_HAIR_LENGTH = {"short": "long hair", "long": "short hair"}
MAX_FEATURES = 6


def _terms(design_prompt: str) -> list[str]:
    return [t.strip().lower() for t in re.split(r"[,;\n]", design_prompt) if t.strip()]


def _words(term: str) -> list[str]:
    return re.findall(r"[a-z0-9&]+(?:-[a-z0-9]+)*", term)


def _species_term(terms: list[str]) -> str | None:
    """The user's own words for a non-human ("nine-tailed fox spirit"), colour words left out."""
    if any(set(_words(t)) & HUMAN_WORDS for t in terms):
        return None
    for term in terms:
        words = _words(term)
        if set(words) & CREATURE_WORDS:
            kept = [w for w in words if not is_color_word(w) and not is_shade_word(w) and w not in _FILLER]
            return " ".join(kept)
    return None


def _colours(terms: list[str], species: str | None) -> dict[str, str]:
    """Each colour word → the last word of the part it qualifies; a colour on the species names the body."""
    found: dict[str, str] = {}
    for term in terms:
        words = [w for w in _words(term) if w not in _FILLER]
        index = 0
        while index < len(words):
            if not is_color_word(words[index]):
                index += 1
                continue
            start = index - 1 if index > 0 and is_shade_word(words[index - 1]) else index
            while index + 1 < len(words) and is_color_word(words[index + 1]):
                index += 1  # "pink white ribbon": the last colour before the part
            part_words: list[str] = []
            cursor = index + 1
            while cursor < len(words) and words[cursor] not in _BREAKS and not is_color_word(words[cursor]):
                part_words.append(words[cursor])
                cursor += 1
            colour = " ".join(words[start : index + 1])
            part = _part(part_words, species)
            if part:
                found.setdefault(part, colour)
            index = cursor
    return found


def _part(words: list[str], species: str | None) -> str:
    if not words:
        return ""
    if species is not None and set(words) & CREATURE_WORDS:
        return "fur" if set(words) & {"fox", "cat", "dog", "wolf", "kitsune", "tanuki", "bear", "rabbit"} else "body"
    if set(words) & HUMAN_WORDS:
        return ""  # "blonde girl" says hair, but which part is a guess: leave it to the user
    return words[-1]


def _errors(terms: list[str], species: str | None) -> list[str]:
    """Mistakes an image model makes with this design, from the design itself (nothing generic invented)."""
    if species is not None:
        errors = ["human face", "human body", "human hands"]
        tails = tail_count(species)
        if tails > 1:
            errors.insert(0, "single tail")
        if not any(w in t for t in terms for w in ("clothes", "dress", "kimono", "coat", "scarf")):
            errors.append("clothes")
        return errors[:MAX_FEATURES]
    errors = []
    for term in terms:
        words = _words(term)
        if "hair" in words and words[0] in _HAIR_LENGTH:
            errors.append(_HAIR_LENGTH[words[0]])
    return errors[:MAX_FEATURES]


def describe(name: str, design_prompt: str) -> AppearanceDraft:
    """Draft appearance data from the design prompt's own terms."""
    terms = [t for t in _terms(design_prompt) if not COUNT_TAGS.match(t) and t != name.lower()]
    if not terms:
        raise EngineError(f"{name or 'the character'} has no design prompt to describe")
    species = _species_term(_terms(design_prompt))
    return AppearanceDraft(
        species=f"{species} (NOT human)" if species else "human",
        key_colors=_colours(terms, species),
        key_features=terms[:MAX_FEATURES],
        common_errors=_errors(terms, species),
    )
