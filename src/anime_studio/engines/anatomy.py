"""Body-plan facts read from a species text, shared by the draft, the storyboard and the reviewer."""

from __future__ import annotations

import re

_NUMBERS = {"one": 1, "single": 1, "two": 2, "twin": 2, "double": 2, "three": 3, "triple": 3, "four": 4,
            "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9}  # fmt: skip
_TAILS = re.compile(r"\b(\d|one|single|two|twin|double|three|triple|four|five|six|seven|eight|nine)[\s-]*tail")
MAX_TAILS = 9


def tail_count(species: str) -> int:
    """How many tails the species text asks for ("nine-tailed fox", "two tails"); 1 when unsaid."""
    match = _TAILS.search(species.lower())
    if match is None:
        return 1
    word = match.group(1)
    return max(1, min(MAX_TAILS, int(word) if word.isdigit() else _NUMBERS[word]))
