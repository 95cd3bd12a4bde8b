"""The ``heuristic`` vision reviewer: image statistics mapped onto the vision-model score schema.

What it measures, and what it cannot know:

* clarity: sharpness (variance of the Laplacian at a 512 px working size), exposure (mean luminance,
  clipped highlights and shadows) and contrast (luminance spread);
* resolution against the expected size;
* character_match: how much of the image lies within a CIEDE2000 distance of each key colour;
* solo / completeness: distinct foreground blobs against a background modelled from the frame's
  side strips. Two characters that touch or overlap count as one; busy backgrounds (crowds, walls
  reaching both sides) and props can add or hide blobs; a figure cut by the frame edges is
  "partial" or "face" by its silhouette only. Treat ``solo`` as a hint, not a verdict;
* species: it cannot confirm one. For a non-human character it answers "no" (``False``) only on a
  positive cue: the figure is mostly human skin tones while the character's key colours are missing;
  otherwise ``species_verified`` stays ``None`` and the issue list says that it cannot tell.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, UnidentifiedImageError

from anime_studio.engines.base import EngineError, EngineStatus
from anime_studio.engines.colors import parse_color
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores
from anime_studio.engines.vision.clarity import clarity_issues, measure_clarity, unit
from anime_studio.engines.vision.metrics import (
    Blob,
    blobs,
    delta_e2000,
    foreground_mask,
    resized,
    to_lab,
)
from anime_studio.media import images

COLOR_SIDE = 160  # colour and blob analysis size
COLOR_MATCH_DE = 12.0  # CIEDE2000: a pixel "has" the key colour within this distance (allows cel shading)
COLOR_TARGET_SHARE = 0.008  # 0.8 % of the image in a key colour counts as fully present
MIN_TRAINING_SIDE = 512

Completeness = Literal["full", "partial", "face", "unknown"]


class HeuristicReviewer:
    """Deterministic image review on the CPU in a few tens of milliseconds."""

    name = "heuristic"

    async def review(self, request: ReviewRequest) -> ReviewScores:
        """Score one image; unreadable or missing images are a permanent error."""
        return await asyncio.to_thread(review_image, request)

    async def status(self) -> EngineStatus:
        """Always reachable: it is a library, not a service."""
        return EngineStatus(
            kind="vision",
            name=self.name,
            reachable=True,
            detail="embedded heuristic reviewer (sharpness, exposure, contrast, key colours, blobs)",
            models=["heuristic-v1"],
            extra={"color_match_delta_e2000": COLOR_MATCH_DE, "verifies_species": "refutes only"},
        )


def _load(path: Path) -> Image.Image:
    if not path.is_file():
        raise EngineError(f"image to review not found: {path.name}")
    try:
        return images.decoded(path)
    except (UnidentifiedImageError, OSError) as error:
        raise EngineError(f"not a readable image: {path.name}") from error


def review_image(request: ReviewRequest) -> ReviewScores:
    """The whole review, synchronously (the engine runs it in a worker thread)."""
    image = _load(request.image_path)
    issues: list[str] = []
    clarity = measure_clarity(image)
    issues += clarity_issues(clarity)
    resolution, resolution_issue = resolution_score(image.size, request.expected_width, request.expected_height)
    issues += [resolution_issue] if resolution_issue else []
    small = np.asarray(resized(image, COLOR_SIDE))
    lab = to_lab(small)
    match, checklist, color_issues = character_match(lab, request.key_colors)
    issues += color_issues
    figures = figure_blobs(lab)
    solo = len(figures) == 1
    if not figures:
        issues.append("no distinct figure found against the background")
    elif len(figures) > 1:
        issues.append(f"{len(figures)} separate figures detected (not solo)")
    completeness = judge_completeness(figures[0] if figures else None)
    species_verified: bool | None = None
    if not request.is_human:
        species_verified, why = species_cue(small, lab, request.key_colors, checklist)
        verdict = "check failed" if species_verified is False else "not verified"
        issues.append(f"species '{request.species}' {verdict}: {why}")
    training = training_value(clarity.score, match, resolution, solo=solo, completeness=completeness)
    return ReviewScores(
        character_match=round(match, 2),
        clarity=round(clarity.score, 2),
        training_value=round(training, 2),
        solo=solo,
        completeness=completeness,
        quality_score=round(min(1.0, (match + clarity.score + training) / 30), 4),
        issues=issues,
        feature_checklist=checklist,
        species_verified=species_verified,
        engine="heuristic",
    )


def resolution_score(size: tuple[int, int], expected_w: int | None, expected_h: int | None) -> tuple[float, str]:
    """0..10 for pixel count against the expected size (or a 512 px training minimum) and an issue text."""
    w, h = size
    if expected_w and expected_h:
        ratio = min(w / expected_w, h / expected_h)
        issue = f"low resolution {w}x{h} < expected {expected_w}x{expected_h}" if ratio < 0.95 else ""
        return 10 * unit(ratio), issue
    ratio = min(w, h) / MIN_TRAINING_SIDE
    issue = f"low resolution {w}x{h} (short side under {MIN_TRAINING_SIDE} px)" if ratio < 1 else ""
    return 10 * unit(ratio), issue


def character_match(lab: np.ndarray, key_colors: dict[str, str]) -> tuple[float, dict[str, bool], list[str]]:
    """Score 0..10 from how much of each key colour the image holds; per-colour checklist; issues."""
    if not key_colors:
        return 5.0, {}, ["no key colours to check the character against"]
    pixels = lab.reshape(-1, 3)
    checklist: dict[str, bool] = {}
    issues: list[str] = []
    scores = []
    for part, value in key_colors.items():
        rgb = parse_color(value)
        if rgb is None:
            issues.append(f"key colour '{part}' ({value}) is not a colour name or hex value")
            continue
        target = to_lab(np.array(rgb, dtype=np.float32))
        distance = delta_e2000(pixels, target[None, :])
        share = float((distance < COLOR_MATCH_DE).mean())
        found = share >= COLOR_TARGET_SHARE / 4
        checklist[f"key colour {part} ({value})"] = found
        scores.append(unit(share / COLOR_TARGET_SHARE))
        if not found and share > 0:
            issues.append(
                f"key colour '{part}' ({value}) covers only {share:.2%} of the image "
                f"(at least {COLOR_TARGET_SHARE / 4:.2%} expected)"
            )
        elif not found:
            issues.append(f"key colour '{part}' ({value}) not found (closest ΔE {float(distance.min()):.1f})")
    return (10 * float(np.mean(scores)) if scores else 5.0), checklist, issues


SKIN_SHARE = 0.35
"""Share of the foreground in human skin tones above which a non-human figure looks like a person."""


def species_cue(
    rgb: np.ndarray, lab: np.ndarray, key_colors: dict[str, str], checklist: dict[str, bool]
) -> tuple[bool | None, str]:
    """``False`` with a reason when the figure reads as a human; ``None`` with a reason when it cannot tell."""
    mask = foreground_mask(lab)
    if mask.sum() < 0.01 * mask.size:
        return None, "no figure to check"
    skin_colours = [c for c in (parse_color(v) for v in key_colors.values()) if c is not None and _is_skin(c)]
    if skin_colours:
        return None, "the character's own key colours look like human skin, so skin tone tells nothing"
    pixels = rgb[mask].astype(np.float32)
    share = float(_skin_mask(pixels).mean())
    found = sum(checklist.values())
    if share >= SKIN_SHARE and found < max(1, len(checklist)) / 2:
        return False, (
            f"{share:.0%} of the figure is human skin tone and "
            f"{len(checklist) - found} of {len(checklist)} key colours are missing"
        )
    return None, f"the heuristic reviewer cannot confirm a species ({share:.0%} skin tone)"


def _skin_mask(rgb: np.ndarray) -> np.ndarray:
    """Classic YCbCr skin-tone box (Cb 77–127, Cr 133–173) above a minimum brightness."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128 + 0.5 * r - 0.418688 * g - 0.081312 * b
    result: np.ndarray = (y > 80) & (cb >= 77) & (cb <= 127) & (cr >= 133) & (cr <= 173)
    return result


def _is_skin(colour: tuple[int, int, int]) -> bool:
    return bool(_skin_mask(np.array([colour], dtype=np.float32))[0])


def figure_blobs(lab: np.ndarray) -> list[Blob]:
    """Foreground blobs big and tall enough to be a character (≥1.5 % of the frame, ≥20 % of its height)."""
    return [b for b in blobs(foreground_mask(lab)) if b.area >= 0.015 and b.height >= 0.2]


def judge_completeness(main: Blob | None) -> Completeness:
    """Full figure inside the frame, a face filling it, or a figure cut by the bottom edge."""
    if main is None:
        return "unknown"
    if main.y1 < 0.97 and main.y0 > 0.03:
        return "full"
    if main.y1 >= 0.97 and main.height >= 0.8 and main.width_at_upper_third >= 0.35:
        return "face"
    return "partial"


def training_value(clarity: float, match: float, resolution: float, *, solo: bool, completeness: Completeness) -> float:
    """How useful the image is as LoRA training data: clear, on-model, big enough, one character."""
    value = 0.35 * clarity + 0.35 * match + 0.3 * resolution
    if not solo:
        value *= 0.6
    value -= {"full": 0.0, "face": 0.0, "partial": 0.5, "unknown": 1.0}[completeness]
    return max(0.0, min(10.0, value))
