"""What went wrong with an image, in a few words: a person's reject reason or a reviewer's issue text.

People pick reasons from the Approve tab's list ("not solo", "has umbrella"); reviewers write long
issue texts ("underexposed (mean luminance 31/255)"). Both are folded onto one vocabulary, so that
counts add up and the auto-correction can pick a strategy from either.
"""

from __future__ import annotations

import re

# First match wins: the order puts the specific before the generic ("low contrast" before "contrast").
_CATEGORIES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (label, re.compile(pattern, re.IGNORECASE))
    for label, pattern in (
        ("not solo", r"not solo|separate figures|several figures|multiple (characters|figures)"),
        ("low resolution", r"low resolution|too small|pixelated"),
        ("underexposed", r"underexposed|crushed shadows|too dark"),
        ("overexposed", r"overexposed|clipped highlights|too bright|washed out"),
        ("low contrast", r"low contrast|flat lighting"),
        ("blurry", r"blur|out of focus"),
        ("bad anatomy", r"anatomy"),
        ("cropped / incomplete", r"cropped|incomplete"),
        (
            "off-model",
            r"key colour '.*(not found|covers only)|species .*check failed|off-model|wrong |missing:"
            r"|human face|human body|^not an? |^has ",
        ),
    )
)

# Negative-prompt terms a repeated reason argues for; "has X" (a common error seen) adds X itself.
NEGATIVE_TERMS: dict[str, tuple[str, ...]] = {
    "not solo": ("multiple characters", "2girls", "2boys", "crowd"),
    "low resolution": ("lowres",),
    "underexposed": ("dark", "underexposed"),
    "overexposed": ("overexposed", "washed out"),
    "low contrast": ("low contrast", "flat colors"),
    "blurry": ("blurry", "out of focus"),
    "bad anatomy": ("bad anatomy", "bad hands"),
    "cropped / incomplete": ("cropped", "out of frame"),
}


def category(text: str) -> str | None:
    """The vocabulary word for a reason or issue, or ``None`` when it says nothing about the image."""
    for label, pattern in _CATEGORIES:
        if pattern.search(text.strip()):
            return label
    return None


def label(text: str, *, by_person: bool) -> str | None:
    """How a reason is counted: a person's own words stay (they name what to learn), a machine's are folded."""
    text = " ".join(text.split())
    if by_person:
        return text.lower() or None
    return category(text)


def negative_terms(reason: str) -> tuple[str, ...]:
    """Negative-prompt terms that answer a reject reason (none for reasons no negative can fix)."""
    reason = reason.strip()
    if reason.lower().startswith("has "):
        return (reason[4:].strip(),) if reason[4:].strip() else ()
    if reason.lower().startswith(("human face", "human body")):
        return (reason.lower().split(" on ")[0],)
    found = category(reason)
    return NEGATIVE_TERMS.get(found, ()) if found else ()
