"""The motion preset library (spec "Motion Presets"): curated motion prompts per shot type.

Shared vocabulary of the scene builder (chips in the shot editor), the story breakdown and the
camera moves of the embedded video engine.
"""

from __future__ import annotations

MOTION_PRESETS: dict[str, tuple[str, ...]] = {
    "establishing": (
        "slow pan across the scene, establishing the environment",
        "camera slowly zooms in on the location",
        "wide dolly shot revealing the setting",
        "gentle aerial view drifting over the scene",
    ),
    "wide": (
        "characters walk into frame from the side",
        "slow zoom out revealing the full scene",
        "camera pans left to right across the wide shot",
        "gentle wind blowing through the environment",
    ),
    "medium": (
        "character walks forward confidently",
        "character gestures while talking, slight body movement",
        "subtle idle sway, character shifts weight",
        "character turns to face the camera",
        "two characters face each other in conversation",
    ),
    "close-up": (
        "subtle breathing motion, gentle chest rise and fall",
        "character blinks and smiles softly",
        "gentle head turn from left to right",
        "character's eyes widen with surprise",
        "wind blows hair across the character's face",
    ),
    "extreme_close-up": (
        "eyes slowly narrow with determination",
        "a single tear rolls down the cheek",
        "lips move as if speaking quietly",
        "subtle eye movement, looking from side to side",
    ),
    "action": (
        "character leaps into frame with dynamic pose",
        "fast punch or kick with motion blur",
        "character sprints forward, running sequence",
        "dramatic dodge or evasive roll",
        "character powers up with energy radiating outward",
    ),
}

SHOT_TYPES = tuple(MOTION_PRESETS)
CAMERA_ANGLES = ("eye_level", "low_angle", "high_angle", "birds_eye", "dutch", "over_the_shoulder", "pov")


def default_motion(shot_type: str) -> str:
    """The first preset of a shot type (``medium`` for unknown types)."""
    return MOTION_PRESETS.get(shot_type, MOTION_PRESETS["medium"])[0]
