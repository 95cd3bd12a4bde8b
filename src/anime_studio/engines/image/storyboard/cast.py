"""Placing the characters of a panel: positions, sizes, poses, and painting them."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from anime_studio.engines.image.base import CharacterHint
from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.colors import RGB, darken
from anime_studio.engines.image.storyboard.creatures import creature_shapes
from anime_studio.engines.image.storyboard.figures import Pose, human_back_shapes, human_rear_shapes, human_shapes
from anime_studio.engines.image.storyboard.framing import Framing
from anime_studio.engines.image.storyboard.looks import creature_look, human_look
from anime_studio.engines.image.storyboard.shapes import Placement, paint, recolored

_SMILES = {"joyful": 0.95, "comedic": 0.95, "romantic": 0.75, "peaceful": 0.65, "hopeful": 0.7,
           "melancholy": 0.05, "tense": 0.15, "ominous": 0.1, "action": 0.25}  # fmt: skip
_ANONYMOUS = CharacterHint("", {"hair": "#3a3340", "coat": "#4a5468"})


@dataclass(frozen=True)
class Actor:
    """One character placed in the frame (pixels)."""

    hint: CharacterHint
    x: float
    feet: float
    scale: float
    pose: Pose
    mirror: bool = False
    lean: float = 0.0
    back_view: bool = False
    darkness: float = 0.0
    labelled: bool = True
    rear_view: bool = False
    """The whole figure from behind (character sheets); ``back_view`` is the over-the-shoulder bust."""

    @property
    def human(self) -> bool:
        return self.hint.is_human

    @property
    def top(self) -> float:
        return self.feet - self.scale


def pose_for(rng: random.Random, *, mood: str, facing: float, running: bool = False, wind: float = 0.0) -> Pose:
    """A seeded relaxed pose (or a running one); the mood sets the smile and the blush."""
    smile = _SMILES.get(mood, 0.5)
    blush = mood in {"romantic", "comedic"}
    if running:
        return Pose(0.8, 0.9, 0.8, 1.5, -0.7, -0.5, -1.1, 0.6, facing, smile, blush, wind=-1.0)
    wave = rng.random() < 0.15
    return Pose(
        arm_left=rng.uniform(0.08, 0.3),
        arm_right=2.5 if wave else rng.uniform(0.08, 0.3),
        elbow_left=rng.uniform(0.0, 0.5),
        elbow_right=-0.6 if wave else rng.uniform(0.0, 0.5),
        leg_left=rng.uniform(0.02, 0.08),
        leg_right=rng.uniform(0.02, 0.08),
        facing=facing,
        smile=smile,
        blush=blush,
        wind=wind,
    )


# Where a figure's centre may stand: inside the action-safe area (93 %) of the final crop of any camera
# move of the video engine, the tightest being a pan that ends on one side of a 1/1.18-wide window.
SAFE_CENTRES = (0.26, 0.74)


def _slots(count: int, shot: str, rng: random.Random) -> list[float]:
    """Horizontal centres (fractions of the width): rule of thirds for one, even spread for more."""
    if count == 1:
        if shot in {"close-up", "extreme_close-up"}:
            return [0.5 if shot == "extreme_close-up" else rng.choice((0.44, 0.56))]
        return [rng.choice((0.36, 0.64)) if shot != "medium" else rng.choice((0.42, 0.58))]
    widest = SAFE_CENTRES[1] - SAFE_CENTRES[0] - 0.04  # leaves room for the jitter
    spread = {"close-up": 0.42, "medium": 0.46}.get(shot, min(widest, 0.16 * count))
    return [0.5 - spread / 2 + spread * i / (count - 1) + rng.uniform(-0.02, 0.02) for i in range(count)]


def layout(
    characters: tuple[CharacterHint, ...],
    f: Framing,
    size: tuple[int, int],
    rng: random.Random,
    *,
    mood: str,
    wind: float,
) -> list[Actor]:
    """Place up to ``f.max_characters`` characters; the over-the-shoulder view adds a foreground back."""
    w, h = size
    cast = list(characters[: f.max_characters])
    foreground: CharacterHint | None = None
    if f.over_shoulder and cast:
        foreground = cast.pop(0) if len(cast) >= 2 else _ANONYMOUS
    actors: list[Actor] = []
    slots = _slots(len(cast), f.shot, rng) if cast else []
    if foreground is not None:
        slots = [0.62 + 0.1 * i for i in range(len(cast))]
    has_human = any(c.is_human for c in cast)
    for i, (hint, slot) in enumerate(zip(cast, slots, strict=True)):
        facing = max(-0.6, min(0.6, (0.5 - slot) * 2.2)) + rng.uniform(-0.1, 0.1)
        running = f.shot == "action" and i == 0
        pose = pose_for(rng, mood=mood, facing=facing, running=running, wind=wind)
        direction = 1.0 if slot <= 0.5 else -1.0
        scale, feet = _size(hint, f, h, has_human)
        lean = 0.22 * direction if running else 0.0
        depth = rng.uniform(-0.015, 0.015) * h if f.shot in {"wide", "establishing"} else 0.0
        actors.append(Actor(hint, slot * w, feet + depth, scale, pose, running and direction < 0, lean))
    if foreground is not None:
        actors.append(_over_shoulder(foreground, f, size))
    return actors


def _size(hint: CharacterHint, f: Framing, h: int, has_human: bool) -> tuple[float, float]:
    if hint.is_human:
        return f.unit * h, f.feet * h
    look = creature_look(hint)
    if not has_human:
        return f.creature_unit * h * (1.0 + 0.3 * (look.size - 0.5)), f.creature_feet * h
    if f.creature_mixed > 0:
        return f.creature_mixed * h, min(f.feet, f.creature_feet - 0.02) * h
    return f.unit * h * look.size, f.feet * h


def _over_shoulder(hint: CharacterHint, f: Framing, size: tuple[int, int]) -> Actor:
    w, h = size
    if hint.is_human:
        # Head from 0.3 to 0.72 of the frame height, shoulders near the bottom edge.
        return Actor(
            hint, w * 0.15, h * 2.85, h * 2.55, Pose(), back_view=True, darkness=0.25, labelled=bool(hint.name)
        )
    return Actor(hint, w * 0.13, h * 1.45, h * 1.2, Pose(), back_view=True, darkness=0.35)


def paint_actor(canvas: Canvas, actor: Actor, *, light: float, lighting: Callable[[RGB], RGB], style_text: str) -> None:
    """Draw one actor with the scene's light and ink weight matched to its size."""
    line = min(3.2, max(0.7, actor.scale * 0.0032))
    if actor.human:
        look = human_look(actor.hint, style_text)
        head_px = actor.scale * 0.164
        detail = 2 if head_px >= 30 else 1 if head_px >= 8 else 0
        if actor.back_view:
            shapes = human_back_shapes(look)
        elif actor.rear_view:
            shapes = human_rear_shapes(look, actor.pose)
        else:
            shapes = human_shapes(look, actor.pose, detail=detail)
    else:
        creature = creature_look(actor.hint)
        detail = 0 if actor.back_view else 2 if actor.scale >= 60 else 1 if actor.scale >= 14 else 0
        shapes = creature_shapes(creature, actor.pose, detail=detail, rear=actor.back_view)
        line = min(3.2, max(0.7, actor.scale * 0.006))
    shapes = recolored(shapes, lighting)
    if actor.darkness:
        shapes = recolored(shapes, lambda c: darken(c, actor.darkness))
    placement = Placement(actor.scale, actor.x, actor.feet - actor.scale, actor.mirror, actor.lean)
    if not actor.back_view and actor.feet < canvas.height + actor.scale * 0.05:
        width = actor.scale * (0.11 if actor.human else 0.4)
        canvas.ellipse(actor.x, actor.feet - actor.scale * 0.005, width, width * 0.22, (20, 16, 30, 60))
    paint(canvas, shapes, placement, light=light, line=line)
