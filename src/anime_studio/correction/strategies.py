"""Which fix a rejected image gets, and how a regeneration differs from the image it replaces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from anime_studio.characters.prompts import ComposedPrompt, join_terms, split_terms
from anime_studio.generation.schemas import MAX_SEED
from anime_studio.learning.reasons import category, negative_terms

FOR_CATEGORY = {
    "not solo": "fix_solo",
    "low resolution": "fix_resolution",
    "underexposed": "fix_brightness",
    "overexposed": "fix_brightness",
    "low contrast": "fix_contrast",
    "blurry": "fix_blur",
    "off-model": "fix_appearance",
    "bad anatomy": "fix_appearance",
    "cropped / incomplete": "fix_quality",
}
# Cheap, certain fixes before regenerations: a crop or a tone curve keeps what was right about the image.
PRIORITY = ("fix_solo", "fix_resolution", "fix_brightness", "fix_contrast", "fix_blur", "fix_appearance")
IMAGE_OPS = {"fix_resolution", "fix_blur", "fix_brightness", "fix_contrast", "fix_solo"}
"""Strategies that edit the picture itself (``fix_solo`` regenerates when no crop isolates one figure)."""

SEED_STEP = 1_000_003
"""A regeneration's seed: far from the original and its batch neighbours (seed+1, seed+2 …)."""
MAX_STEPS = 150
STRENGTH = 1.3
SOLO_TERMS = ("solo", "single character")
CROWD_TERMS = ("multiple characters", "2girls", "2boys", "crowd")


def choose(*, reason: str, issues: list[str]) -> str:
    """A person's reason decides when it names a fixable problem; otherwise the review's issues, cheapest fix
    first; ``fix_quality`` (more steps, another seed) when nothing more specific applies."""
    named = category(reason) if reason else None
    if named in FOR_CATEGORY:
        return FOR_CATEGORY[named]
    if reason.lower().startswith(("has ", "wrong ", "missing")):
        return "fix_appearance"
    found = {FOR_CATEGORY[c] for c in (category(i) for i in issues) if c in FOR_CATEGORY}
    return next((s for s in PRIORITY if s in found), "fix_quality")


@dataclass(frozen=True)
class Regeneration:
    seed: int
    steps: int
    prompt: str
    negative: str
    changes: dict[str, Any]
    """What differs from the original, for the provenance and the history."""


def _strengthen(negative: str, terms: list[str]) -> str:
    """Put ``terms`` at the front of the negative prompt with weight 1.3, replacing their plain mentions."""
    wanted = [t.strip() for t in terms if t.strip()]
    keys = {t.lower() for t in wanted}
    rest = [t for t in split_terms(negative) if t.lower() not in keys]
    return join_terms([*(f"({t}:{STRENGTH})" for t in wanted), *rest])


def regeneration(
    strategy: str,
    *,
    original: dict[str, Any],
    composed: ComposedPrompt,
    style_steps: int,
    common_errors: list[str],
    reasons: list[str],
) -> Regeneration:
    """The parameters of the regeneration that ``strategy`` asks for, from the original's provenance."""
    raw_seed = original.get("seed")
    seed = (int(raw_seed) if isinstance(raw_seed, int) else 0) + SEED_STEP
    seed %= MAX_SEED + 1
    raw_steps = original.get("steps")
    steps = max(style_steps, int(raw_steps) if isinstance(raw_steps, int) else 0)
    prompt, negative = composed.positive, composed.negative
    changes: dict[str, Any] = {"seed": [raw_seed, seed]}
    if strategy == "fix_quality":
        more = min(MAX_STEPS, steps + max(10, steps // 2))
        changes["steps"], steps = [steps, more], more
    elif strategy == "fix_appearance":
        terms = [*common_errors, *(t for r in reasons for t in negative_terms(r))]
        negative = _strengthen(negative, list(dict.fromkeys(terms)))
        changes["negative_strengthened"] = [f"({t}:{STRENGTH})" for t in dict.fromkeys(terms)]
    elif strategy == "fix_solo":
        prompt = join_terms([*SOLO_TERMS, *split_terms(prompt)])
        negative = _strengthen(negative, list(CROWD_TERMS))
        changes["prompt_added"], changes["negative_strengthened"] = list(SOLO_TERMS), list(CROWD_TERMS)
    return Regeneration(seed=seed, steps=steps, prompt=prompt, negative=negative, changes=changes)
