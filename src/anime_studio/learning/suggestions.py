"""Suggested generation parameters for a character, from what its approved and rejected images used."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from anime_studio.learning.analysis import ParameterStat
from anime_studio.learning.reasons import negative_terms

MIN_SUPPORT = 3
"""A value needs this many decided images before it can be suggested."""
MIN_RATE = 0.5
"""…and a smoothed approval rate of at least this: a value that mostly fails is not a suggestion."""
MAX_PROMPT_ADDITIONS = 3
MIN_REASON_COUNT = 2
"""A reject reason must come back this often before it strengthens the negative prompt."""

T = TypeVar("T")


@dataclass(frozen=True)
class SuggestedParameters:
    """What to generate this character with next; ``None`` / empty where the history supports no choice."""

    cfg_scale: float | None = None
    steps: int | None = None
    sampler: str | None = None
    seed: int | None = None
    prompt_additions: list[str] = field(default_factory=list)
    negative_additions: list[str] = field(default_factory=list)


def supported(stats: list[ParameterStat], dimension: str) -> list[ParameterStat]:
    """Values of ``dimension`` with enough decisions and a good enough rate, best first."""
    found = [s for s in stats if s.dimension == dimension and s.decided >= MIN_SUPPORT and s.smoothed_rate >= MIN_RATE]
    return sorted(found, key=lambda s: (s.smoothed_rate, s.decided, s.value), reverse=True)


def best(stats: list[ParameterStat], dimension: str, parse: Callable[[str], T]) -> T | None:
    for stat in supported(stats, dimension):
        try:
            return parse(stat.value)
        except ValueError:
            continue
    return None


def negatives(reasons: list[tuple[str, int]]) -> list[str]:
    """Negative terms answering the reasons that keep coming back (most frequent first, no repeats)."""
    terms: list[str] = []
    for reason, count in reasons:
        if count >= MIN_REASON_COUNT:
            terms += [t for t in negative_terms(reason) if t.lower() not in {x.lower() for x in terms}]
    return terms


def suggest(stats: list[ParameterStat], reasons: list[tuple[str, int]], seed: int | None) -> SuggestedParameters:
    return SuggestedParameters(
        cfg_scale=best(stats, "cfg", float),
        steps=best(stats, "steps", int),
        sampler=best(stats, "sampler", str),
        seed=seed,
        prompt_additions=[s.value for s in supported(stats, "prompt_addition")][:MAX_PROMPT_ADDITIONS],
        negative_additions=negatives(reasons),
    )
