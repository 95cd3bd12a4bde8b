"""The single source of truth for a character's prompt (spec: "SSOT Principle", "Per-Character Negatives").

* The design prompt IS the main prompt; the style's template only adds quality tags.
* Negatives: the style's base negative + the world's negative guidance, plus for non-human species
  (containing "NOT human") the human-anatomy terms, plus the character's ``common_errors``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

NON_HUMAN_NEGATIVES = (
    "human",
    "human face",
    "human skin",
    "realistic person",
    "humanoid body",
    "human proportions",
)
PROMPT_SLOT = "{prompt}"


def is_non_human(species: str) -> bool:
    return "not human" in species.lower()


def split_terms(text: str) -> list[str]:
    """Split on commas and newlines outside brackets, so weighted groups like ``(a, b:1.2)`` stay whole."""
    terms: list[str] = []
    depth, current = 0, list[str]()
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        if char in ",\n" and depth == 0:
            terms.append("".join(current))
            current = []
        else:
            current.append(char)
    terms.append("".join(current))
    return [term.strip() for term in terms if term.strip()]


def join_terms(terms: Iterable[str]) -> str:
    """Comma-join, dropping blanks and case-insensitive duplicates (first occurrence wins)."""
    seen: set[str] = set()
    kept: list[str] = []
    for term in terms:
        key = term.strip().lower()
        if key and key not in seen:
            seen.add(key)
            kept.append(term.strip())
    return ", ".join(kept)


@dataclass(frozen=True)
class ComposedPrompt:
    positive: str
    negative: str
    is_human: bool
    quality_tags: str
    design_prompt: str
    base_negative: str
    world_negative: str
    species_negative: list[str] = field(default_factory=list)
    common_errors: list[str] = field(default_factory=list)


def apply_quality_template(template: str, prompt: str) -> str:
    """Put the main prompt into the style's template: at ``{prompt}`` if present, else after the tags."""
    template = template.strip()
    if PROMPT_SLOT in template:
        return join_terms(split_terms(template.replace(PROMPT_SLOT, prompt)))
    return join_terms([*split_terms(template), *split_terms(prompt)])


def compose(
    *,
    design_prompt: str,
    species: str,
    common_errors: Iterable[str],
    quality_template: str,
    base_negative: str,
    world_negative: str = "",
    extra: str = "",
) -> ComposedPrompt:
    """Compose the final positive and negative prompt; ``extra`` (a shot's action, say) follows the design."""
    main = join_terms([*split_terms(design_prompt), *split_terms(extra)])
    errors = [e.strip() for e in common_errors if e.strip()]
    species_negative = list(NON_HUMAN_NEGATIVES) if is_non_human(species) else []
    negative = join_terms([*split_terms(base_negative), *split_terms(world_negative), *species_negative, *errors])
    return ComposedPrompt(
        positive=apply_quality_template(quality_template, main),
        negative=negative,
        is_human=not is_non_human(species),
        quality_tags=quality_template.strip(),
        design_prompt=design_prompt.strip(),
        base_negative=base_negative.strip(),
        world_negative=world_negative.strip(),
        species_negative=species_negative,
        common_errors=errors,
    )
