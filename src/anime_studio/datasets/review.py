"""The spec's auto-triage rules, as one pure function that also says why."""

from __future__ import annotations

from dataclasses import dataclass

from anime_studio.assets.models import AssetStatus
from anime_studio.engines.vision.base import ReviewScores
from anime_studio.quality.service import Gates


@dataclass(frozen=True)
class Decision:
    status: AssetStatus
    reason: str


def decide(*, scores: ReviewScores, is_human: bool, species: str, gates: Gates) -> Decision:
    """Reject below ``auto_reject``; approve solo humans at ``auto_approve``; non-humans always wait for a person."""
    score = f"quality {scores.quality_score:.2f}"
    if scores.quality_score < gates.auto_reject:
        return Decision(AssetStatus.rejected, f"{score} < auto_reject {gates.auto_reject:.2f}")
    if not is_human:
        verdict = {True: "species check passed", False: "species check FAILED", None: "species not verified"}
        return Decision(
            AssetStatus.pending,
            f"non-human ({species}): never auto-approved, {verdict[scores.species_verified]}; {score}",
        )
    if scores.quality_score < gates.auto_approve:
        return Decision(AssetStatus.pending, f"{score} between auto_reject and auto_approve {gates.auto_approve:.2f}")
    if not scores.solo:
        return Decision(AssetStatus.pending, f"{score} ≥ auto_approve {gates.auto_approve:.2f} but not solo")
    return Decision(AssetStatus.approved, f"{score} ≥ auto_approve {gates.auto_approve:.2f}, solo")
