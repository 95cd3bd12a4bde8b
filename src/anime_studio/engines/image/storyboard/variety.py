"""What a character sheet varies with the seed: framing, view, pose, expression, placement and backdrop.

Identity is not varied: colours, hair style, build and species shape come from the character alone
(``looks``), so every sheet of one character shows the same character from another side.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from anime_studio.engines.image.storyboard.figures import Pose

FRAMINGS = ("full body", "upper body", "portrait")
VIEWS = ("front", "three-quarter", "side", "back")
BACKDROPS = ("discs", "stripes", "rays", "dots", "plain")
_FACING = {"front": 0.0, "three-quarter": 0.55, "side": 0.95, "back": 0.95}  # a creature's back view turns away
_POSES = ("relaxed", "wave", "cheer", "hips", "walk", "reach")


@dataclass(frozen=True)
class SheetVariant:
    framing: str
    view: str
    pose_name: str
    pose: Pose
    mirror: bool
    backdrop: str
    x: float
    """Horizontal centre as a fraction of the width."""
    size: float
    """Scale factor around the framing's nominal size."""


def variant(
    seed: int, rng: random.Random, *, framing: str | None, view: str | None = None, still: bool = False
) -> SheetVariant:
    """A seeded variant; ``framing`` and ``view`` fixed when the prompt asks for them.

    View, framing and backdrop step with the seed itself (not only a hash of it), so a dataset's
    consecutive seeds never repeat a view and rarely a framing; the pose details are drawn at random.
    """
    chosen = framing or FRAMINGS[(seed + seed // len(VIEWS)) % len(FRAMINGS)]
    view = view or VIEWS[seed % len(VIEWS)]
    mirror = rng.random() < 0.5
    name = rng.choice(_POSES) if chosen == "full body" else rng.choice(("relaxed", "wave", "cheer", "hips"))
    name = "still" if still else name
    pose = _pose(name, rng, facing=_FACING[view])
    return SheetVariant(
        framing=chosen,
        view=view,
        pose_name=name,
        pose=pose,
        mirror=mirror,
        backdrop=BACKDROPS[(seed * 3 + seed // len(BACKDROPS)) % len(BACKDROPS)],
        x=rng.uniform(0.42, 0.58),
        size=0.92 if still else rng.uniform(0.92, 1.06),
    )


def _pose(name: str, rng: random.Random, *, facing: float) -> Pose:
    smile = rng.choice((0.05, 0.35, 0.65, 0.95))  # stern, calm, soft smile, grin
    blush = rng.random() < 0.3
    jitter = rng.uniform(-0.06, 0.06)
    arms = {
        "still": (0.1, 0.1, 0.05, 0.05),
        "relaxed": (0.15 + jitter, 0.2 - jitter, 0.2, 0.25),
        "wave": (0.15 + jitter, 2.5, 0.2, -0.6),
        "cheer": (2.6, 2.6 + jitter, -0.3, -0.3),
        "hips": (0.65, 0.65, -1.5, -1.5),
        "walk": (0.35, -0.1, 0.3, 0.1),
        "reach": (0.2, 1.5 + jitter, 0.1, 0.0),
    }[name]
    legs = (0.22, 0.14, 0.35, 0.0) if name == "walk" else (0.05 + jitter / 2, 0.05, 0.0, 0.0)
    return Pose(*arms, *legs, facing=facing, smile=smile, blush=blush)
