"""Composition by shot type and camera angle: how big the figures are, where the horizon sits, how the
camera is tilted. All lengths are fractions of the frame height."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from anime_studio.engines.image.storyboard.atmosphere import words

SHOTS = ("establishing", "wide", "medium", "close-up", "extreme_close-up", "action")
ANGLES = ("eye_level", "low_angle", "high_angle", "birds_eye", "dutch", "over_the_shoulder", "pov")


def normalise_shot(text: str) -> str:
    """One of ``SHOTS`` from free text ("Close up", "ECU", "long shot"); unknown is medium."""
    tokens = words(text)
    joined = " ".join(tokens)
    if "extreme" in tokens or "ecu" in tokens or "macro" in tokens:
        return "extreme_close-up"
    if "close" in tokens or "closeup" in tokens or "cu" in tokens or "portrait" in tokens:
        return "close-up"
    if "establishing" in tokens or "aerial" in tokens or "panorama" in tokens:
        return "establishing"
    if "action" in tokens or "fight" in tokens or "chase" in tokens:
        return "action"
    if "wide" in tokens or "long" in tokens or "full" in tokens or joined == "ws":
        return "wide"
    return "medium"


def normalise_angle(text: str) -> str:
    """One of ``ANGLES`` from free text ("low angle", "bird's eye", "OTS"); unknown is eye level."""
    tokens = set(words(text))
    if tokens & {"bird", "birds", "overhead", "top", "aerial"}:
        return "birds_eye"
    if tokens & {"low", "worm", "worms"}:
        return "low_angle"
    if "high" in tokens:
        return "high_angle"
    if tokens & {"dutch", "tilted", "canted", "tilt"}:
        return "dutch"
    if tokens & {"shoulder", "ots"}:
        return "over_the_shoulder"
    if tokens & {"pov", "point", "first"}:
        return "pov"
    return "eye_level"


@dataclass(frozen=True)
class Framing:
    """Where things go in the frame for one shot type and camera angle."""

    shot: str
    angle: str
    unit: float
    """Height of a standing human."""
    head_top: float
    """Where a human's head starts (negative: above the frame)."""
    creature_unit: float
    """Height of a creature that is the subject (no human in the shot)."""
    creature_feet: float
    creature_mixed: float
    """Height of a creature beside humans in a medium/close shot (0: keep real proportion)."""
    horizon: float
    max_characters: int
    zoom: float
    """Scale of background elements."""
    blur: float
    """Background defocus 0..1 (depth of field)."""
    tilt: float = 0.0
    """Degrees of dutch roll."""
    keystone: float = 0.0
    """Perspective: >0 verticals converge upwards (low angle), <0 downwards (high angle)."""
    speed_lines: bool = False
    over_shoulder: bool = False
    vignette: float = 0.0

    @property
    def feet(self) -> float:
        return self.head_top + self.unit


_BASE: dict[str, Framing] = {
    "establishing": Framing("establishing", "eye_level", 0.13, 0.66, 0.07, 0.8, 0.0, 0.36, 6, 0.75, 0.0),
    "wide": Framing("wide", "eye_level", 0.56, 0.36, 0.3, 0.92, 0.0, 0.42, 6, 1.0, 0.0),
    "medium": Framing("medium", "eye_level", 1.75, 0.07, 0.62, 0.97, 0.42, 0.44, 3, 1.6, 0.35),
    "close-up": Framing("close-up", "eye_level", 3.3, 0.1, 1.2, 1.28, 0.58, 0.48, 2, 2.2, 0.7),
    "extreme_close-up": Framing("extreme_close-up", "eye_level", 9.5, -0.448, 3.2, 2.2, 0.0, 0.5, 1, 3.0, 1.0),
    "action": Framing("action", "eye_level", 0.74, 0.2, 0.4, 0.95, 0.0, 0.5, 3, 1.2, 0.15, speed_lines=True),
}


def make_framing(shot: str, angle: str, *, sky_heavy: bool, rng: random.Random) -> Framing:
    """The framing of a shot type seen from a camera angle (``rng`` picks the dutch roll direction)."""
    f = replace(_BASE[shot], angle=angle)
    if sky_heavy:
        f = replace(f, horizon=min(0.9, f.horizon + 0.25))
    roll = 7.0 if rng.random() < 0.5 else -7.0
    if shot == "action":
        f = replace(f, tilt=roll)
    if angle == "low_angle":
        f = replace(f, horizon=min(0.95, f.horizon + 0.28), keystone=0.14, unit=f.unit * 1.04)
    elif angle == "high_angle":
        f = replace(f, horizon=max(0.04, f.horizon - 0.26), keystone=-0.12)
    elif angle == "birds_eye":
        feet = min(f.feet, 0.88)
        f = replace(f, horizon=-0.5, keystone=-0.2, unit=f.unit * 0.8, head_top=feet - f.unit * 0.8)
    elif angle == "dutch":
        f = replace(f, tilt=roll * 1.2)
    elif angle == "over_the_shoulder":
        f = replace(f, over_shoulder=True, max_characters=min(f.max_characters, 3))
    elif angle == "pov":
        f = replace(f, vignette=0.5)
    return f
