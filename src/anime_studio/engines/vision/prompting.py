"""What a remote vision model is asked, in which JSON shape, and how its answer becomes ``ReviewScores``."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from typing import Any

from PIL import Image, UnidentifiedImageError

from anime_studio.engines.base import EngineError
from anime_studio.engines.remote.parsing import as_bool, as_float, clamp, extract_json
from anime_studio.engines.vision.base import ReviewRequest, ReviewScores
from anime_studio.media import images

MAX_SIDE = 1344
"""Vision models look at ~900 px tiles; sending 4K frames only costs bandwidth and latency."""

COMPLETENESS = ("full", "partial", "face", "unknown")

SYSTEM_PROMPT = (
    "You are a strict art director reviewing images for an anime character LoRA training dataset. "
    "Judge only what is visible. Answer with JSON only."
)


@dataclass(frozen=True)
class EncodedImage:
    mime: str
    data: str
    """Base64 without a data-URL prefix."""
    width: int
    height: int

    @property
    def data_url(self) -> str:
        return f"data:{self.mime};base64,{self.data}"


def encode_image(request: ReviewRequest) -> EncodedImage:
    """Read the image (PNG/JPEG passed through when small, else re-encoded as JPEG); ``EngineError`` if unreadable."""
    try:
        raw = request.image_path.read_bytes()
        with images.opened(raw, name=request.image_path.name) as image:
            image.load()
            width, height = image.size
            if image.format in ("PNG", "JPEG") and max(width, height) <= MAX_SIDE:
                mime = "image/png" if image.format == "PNG" else "image/jpeg"
                return EncodedImage(mime, base64.b64encode(raw).decode(), width, height)
            return _reencode(image, width, height)
    except FileNotFoundError as error:
        raise EngineError(f"image to review not found: {request.image_path.name}") from error
    except (OSError, UnidentifiedImageError) as error:
        raise EngineError(f"cannot read image {request.image_path.name}: {error}") from error


def _reencode(image: Image.Image, width: int, height: int) -> EncodedImage:
    """Downscaled RGB JPEG (q92): a tenth of a PNG's size for renders, and every vision server reads it."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGB", rgba.size, (255, 255, 255))
    flat.paste(rgba, mask=rgba.getchannel("A"))
    flat.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    flat.save(buffer, format="JPEG", quality=92)
    return EncodedImage("image/jpeg", base64.b64encode(buffer.getvalue()).decode(), width, height)


def checklist(request: ReviewRequest) -> list[str]:
    """Feature checks from appearance data, each phrased so that ``true`` means the image is right."""
    items: list[str] = []
    if request.species and request.species.strip().lower() not in ("", "human"):
        items.append(f"species: {request.species.strip()}")
    items += [f"{part.strip()}: {colour.strip()}" for part, colour in request.key_colors.items() if part.strip()]
    items += [feature.strip() for feature in request.key_features if feature.strip()]
    items += [f"free of: {error.strip()}" for error in request.common_errors if error.strip()]
    return list(dict.fromkeys(items))[:24]


def review_schema(features: list[str]) -> dict[str, Any]:
    """The JSON schema of one review (strict-mode compatible: every key required, no extras)."""
    checklist_schema = {
        "type": "object",
        "properties": {feature: {"type": "boolean"} for feature in features},
        "required": features,
        "additionalProperties": False,
    }
    score = {"type": "number", "description": "0 (worst) to 10 (best)"}
    properties: dict[str, Any] = {
        "character_match": score,
        "clarity": score,
        "training_value": score,
        "solo": {"type": "boolean", "description": "exactly one character is visible"},
        "completeness": {"type": "string", "enum": list(COMPLETENESS)},
        "issues": {"type": "array", "items": {"type": "string"}},
        "feature_checklist": checklist_schema,
        "description": {"type": "string", "description": "comma-separated tags of what is visible"},
    }
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def review_prompt(request: ReviewRequest, features: list[str]) -> str:
    """The user prompt for the main review."""
    lines = [f"Review this image of the character {request.character_name or 'the character'}."]
    if request.design_prompt:
        lines.append(f"Character design: {request.design_prompt}")
    if not request.is_human:
        lines.append(f"The character is NOT human: species {request.species}. Human anatomy is an error.")
    if request.context:
        lines.append(f"Shot context: {request.context}")
    lines += [
        "Score from 0 to 10: character_match (does it match the design), clarity (sharp, clean, well lit), "
        "training_value (useful, varied, artefact-free example for training).",
        "solo: true only if exactly one character is visible. completeness: full (whole body), "
        "partial (cut off), face (head/face only) or unknown.",
        "issues: short phrases naming every defect (extra limbs, wrong colours, text, blur…); empty if none.",
        "description: comma-separated training-caption tags of what is visible (pose, expression, clothing, "
        "background), without the character's name.",
    ]
    if features:
        lines.append("feature_checklist: for each item answer true if the image satisfies it:")
        lines += [f"- {feature}" for feature in features]
    return "\n".join(lines)


SPECIES_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"answer": {"type": "string", "enum": ["yes", "no"]}, "reason": {"type": "string"}},
    "required": ["answer", "reason"],
    "additionalProperties": False,
}


def species_prompt(request: ReviewRequest) -> str:
    """One focused yes/no question: is the depicted body that species (and not a human)?"""
    return (
        f"Look only at the body, face and skin of the main figure. Is it a {request.species.strip()} "
        "and NOT a human or a human in costume? Answer 'yes' or 'no' with a one-sentence reason."
    )


def parse_species(text: str) -> tuple[bool | None, str]:
    """``(verified, reason)`` from the species answer; ``None`` when the model said neither."""
    try:
        data = extract_json(text)
    except ValueError:
        return as_bool(text), text.strip()[:200]
    if isinstance(data, dict):
        return as_bool(data.get("answer")), str(data.get("reason") or "")[:200]
    return as_bool(data), ""


def parse_review(text: str, request: ReviewRequest, features: list[str], *, engine: str) -> ReviewScores:
    """Turn the model's answer into clamped scores; ``EngineError`` if it holds no review at all."""
    try:
        data = extract_json(text)
    except ValueError as error:
        raise EngineError(f"the vision model answered without a JSON review: {text[:160]!r}") from error
    if not isinstance(data, dict):
        raise EngineError("the vision model's review is not a JSON object")
    scores = {
        key: clamp(as_float(data.get(key)), 0.0, 10.0) for key in ("character_match", "clarity", "training_value")
    }
    return ReviewScores(
        **scores,
        solo=bool(as_bool(data.get("solo"), default=False)),
        completeness=_completeness(data.get("completeness")),
        quality_score=round(sum(scores.values()) / 30.0, 4),
        issues=_issues(data.get("issues")),
        feature_checklist=_checklist(data.get("feature_checklist"), features),
        description=str(data.get("description") or "").strip()[:500],
        engine=engine,
    )


def _completeness(value: Any) -> Any:
    word = str(value or "").strip().lower()
    if word in COMPLETENESS:
        return word
    if any(key in word for key in ("full", "whole", "entire")):
        return "full"
    if any(key in word for key in ("face", "head", "portrait")):
        return "face"
    if any(key in word for key in ("partial", "upper", "half", "bust", "cut", "crop")):
        return "partial"
    return "unknown"


def _issues(value: Any) -> list[str]:
    if isinstance(value, str):
        value = value.replace(";", ",").split(",")
    if not isinstance(value, list):
        return []
    return [str(item).strip()[:200] for item in value if str(item).strip()][:20]


def _checklist(value: Any, features: list[str]) -> dict[str, bool]:
    """Answers for the asked features only; a feature the model skipped counts as not satisfied."""
    answers = value if isinstance(value, dict) else {}
    lowered = {str(key).strip().lower(): answer for key, answer in answers.items()}
    return {feature: bool(as_bool(lowered.get(feature.lower()), default=False)) for feature in features}


def resolution_issue(request: ReviewRequest, image: EncodedImage) -> str | None:
    """An issue when the image is not the size the dataset expects."""
    expected = (request.expected_width, request.expected_height)
    if None in expected or (image.width, image.height) == expected:
        return None
    return f"resolution {image.width}x{image.height}, expected {expected[0]}x{expected[1]}"
