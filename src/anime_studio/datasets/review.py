"""The spec's auto-triage rules, as one pure function."""

from __future__ import annotations

from anime_studio.assets.models import AssetStatus
from anime_studio.quality.service import Gates


def decide(*, quality_score: float, solo: bool, is_human: bool, gates: Gates) -> AssetStatus:
    """Reject below ``auto_reject``; approve solo humans at ``auto_approve``; non-humans always wait for a person."""
    if quality_score < gates.auto_reject:
        return AssetStatus.rejected
    if is_human and solo and quality_score >= gates.auto_approve:
        return AssetStatus.approved
    return AssetStatus.pending
