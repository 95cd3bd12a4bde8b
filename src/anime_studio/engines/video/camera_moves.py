"""Camera moves of the embedded video engine: which move a shot gets, and the window it shows per frame.

A move is a path of the visible window over the source image: zoom ``z`` (1 = the whole image, 1.2 =
a fifth narrower) and centre ``(cx, cy)`` in fractions of the image, evaluated at continuous time so
the motion is sub-pixel smooth (no rounding to whole pixels as ffmpeg's ``zoompan`` does).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass

MOVES = ("push_in", "pull_out", "pan_left", "pan_right", "tilt_up", "tilt_down", "drift", "shake")

_SHAKY = {"fast", "leap", "leaps", "punch", "punches", "kick", "kicks", "sprint", "sprints", "dodge", "dodges",
          "run", "runs", "running", "explosion", "impact", "shake", "shakes", "shaking", "handheld", "powers",
          "roll", "crash", "fight", "fights", "strike", "strikes", "attack", "attacks", "slam", "dash"}  # fmt: skip
_BY_SHOT = {"establishing": "pan", "wide": "pull_out", "medium": "drift", "close-up": "push_in",
            "extreme_close-up": "push_in", "action": "shake"}  # fmt: skip


@dataclass(frozen=True)
class Window:
    """What one frame shows: zoom and centre (fractions of the source)."""

    zoom: float
    cx: float
    cy: float


def choose_move(motion_prompt: str, shot_type: str, seed: int) -> str:
    """The move named by the motion prompt's words, else the shot type's habitual move."""
    text = " ".join(re.findall(r"[a-z]+", motion_prompt.lower().replace("-", " ")))
    words = set(text.split())
    rng = random.Random(f"{seed}:move")
    if re.search(r"\b(zooms? out|pull(s|ing)? (out|back)|dolly out|reveal(s|ing)?|revealed|widens?)\b", text):
        return "pull_out"
    if re.search(r"\b(zooms? in|push(es|ing)? in|dolly in|closer|moves in)\b", text):
        return "push_in"
    # "pans left to right" names a direction of travel: read the "x to y" phrase before "pans left".
    if "left to right" in text:
        return "pan_right"
    if "right to left" in text:
        return "pan_left"
    if re.search(r"\bpan(s|ning)? left\b", text):
        return "pan_left"
    if re.search(r"\bpan(s|ning)? right\b", text):
        return "pan_right"
    if re.search(r"\btilt(s|ing)? down\b", text):
        return "tilt_down"
    if re.search(r"\b(tilt(s|ing)? up|looks? up|rises|rising)\b", text):
        return "tilt_up"
    if words & _SHAKY:
        return "shake"
    if words & {"pan", "pans", "panning", "across", "sweep", "sweeps", "tracking"}:
        return rng.choice(("pan_left", "pan_right"))
    if words & {"drift", "drifts", "drifting", "aerial", "floating", "sway", "idle"}:
        return "drift"
    move = _BY_SHOT.get(shot_type, "drift")
    return rng.choice(("pan_left", "pan_right")) if move == "pan" else move


def _ease(t: float) -> float:
    """Cosine ease-in-out: starts and stops gently."""
    return 0.5 - 0.5 * math.cos(math.pi * min(1.0, max(0.0, t)))


@dataclass(frozen=True)
class Move:
    """A camera move with its seeded parameters; ``at(t)`` gives the window for t in 0..1."""

    kind: str
    shot_type: str
    seed: int
    duration: float

    def at(self, t: float) -> Window:
        """The window at time fraction ``t`` (0 = first frame, 1 = last frame)."""
        e = _ease(t)
        rng = random.Random(f"{self.seed}:{self.kind}")
        focus_y = 0.42 if self.shot_type in {"close-up", "extreme_close-up", "medium"} else 0.5
        if self.kind == "push_in":
            depth = {"extreme_close-up": 0.1, "close-up": 0.16}.get(self.shot_type, 0.22)
            return Window(1.0 + depth * e, 0.5, 0.5 + (focus_y - 0.5) * e)
        if self.kind == "pull_out":
            return Window(1.25 - 0.25 * e, 0.5, 0.5)
        if self.kind in {"pan_left", "pan_right"}:
            z = 1.18
            span = (1 - 1 / z) / 2  # how far the centre can travel each side
            sign = 1 if self.kind == "pan_right" else -1
            return Window(z, 0.5 + sign * span * (2 * e - 1), 0.5)
        if self.kind in {"tilt_up", "tilt_down"}:
            z = 1.2
            span = (1 - 1 / z) / 2
            sign = -1 if self.kind == "tilt_up" else 1
            return Window(z, 0.5, 0.5 + sign * span * (2 * e - 1))
        if self.kind == "drift":
            angle = rng.uniform(0, math.tau)
            reach = 0.025
            return Window(
                1.06 + 0.05 * e,
                0.5 + math.cos(angle) * reach * (2 * e - 1),
                0.5 + math.sin(angle) * reach * (2 * e - 1),
            )
        return self._shake(t, rng)

    def _shake(self, t: float, rng: random.Random) -> Window:
        """Handheld: a slight push plus smooth noise (a few incommensurate sines per axis)."""
        seconds = t * self.duration
        # 0.6-2.4 Hz: the sway of a hand-held camera; faster wobble reads as digital jitter.
        waves = [(rng.uniform(0.6, 2.4), rng.uniform(0, math.tau), rng.uniform(0.5, 1.0)) for _ in range(6)]
        amplitude = 0.012
        dx = sum(a * math.sin(math.tau * f * seconds + p) for f, p, a in waves[:3]) / 2.2
        dy = sum(a * math.sin(math.tau * f * seconds + p) for f, p, a in waves[3:]) / 2.2
        return Window(1.13 + 0.05 * _ease(t), 0.5 + dx * amplitude, 0.5 + dy * amplitude)


def source_box(window: Window, base: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The window as a box in source pixels inside the cover-fitted ``base`` box, clamped to stay inside."""
    bx, by, bw, bh = base
    z = max(1.0, window.zoom)
    w, h = bw / z, bh / z
    x0 = min(max(bx, bx + window.cx * bw - w / 2), bx + bw - w)
    y0 = min(max(by, by + window.cy * bh - h / 2), by + bh - h)
    return (x0, y0, x0 + w, y0 + h)


def cover_box(source: tuple[int, int], target: tuple[int, int]) -> tuple[float, float, float, float]:
    """The largest centred box of the source with the target's aspect ratio (x, y, w, h)."""
    sw, sh = source
    tw, th = target
    if sw / sh > tw / th:
        w = sh * tw / th
        return ((sw - w) / 2, 0.0, w, float(sh))
    h = sw * th / tw
    return (0.0, (sh - h) / 2, float(sw), h)
