"""Character sheets (no scene: dataset generation): the figure alone on a soft ground of its own colours."""

from __future__ import annotations

import math
import random

from anime_studio.engines.image.base import CharacterHint, ImageRequest
from anime_studio.engines.image.storyboard.atmosphere import words
from anime_studio.engines.image.storyboard.backdrops import backdrop
from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.cast import Actor, paint_actor
from anime_studio.engines.image.storyboard.colors import RGB, color_from_name, to_color
from anime_studio.engines.image.storyboard.compose import Panel, stream, supersampling
from anime_studio.engines.image.storyboard.looks import creature_look
from anime_studio.engines.image.storyboard.variety import SheetVariant, variant

# (human height, human head top, creature height, creature feet), fractions of the frame height.
FRAMES: dict[str, tuple[float, float, float, float]] = {
    "full body": (0.78, 0.1, 0.6, 0.86),
    "upper body": (1.6, 0.1, 0.78, 0.95),
    "portrait": (2.9, 0.12, 1.1, 1.12),
}


def sheet_framing(prompt: str) -> str | None:
    """``portrait`` / ``upper body`` / ``full body`` when the prompt asks for one, else ``None`` (the seed picks)."""
    tokens = set(words(prompt))
    if tokens & {"portrait", "face", "headshot", "closeup", "close", "bust"}:
        return "portrait"
    if tokens & {"upper", "waist", "half", "medium", "cowboy"}:
        return "upper body"
    if "full" in tokens or tokens & {"fullbody", "standing"}:
        return "full body"
    return None


def sheet_view(prompt: str) -> str | None:
    """The view the prompt names ("front view", "from behind", "profile"), else ``None`` (the seed picks)."""
    tokens = set(words(prompt))
    for view, keys in (
        ("three-quarter", {"three", "quarter", "threequarter"}),
        ("back", {"back", "behind", "rear"}),
        ("side", {"side", "profile"}),
        ("front", {"front", "frontal"}),
    ):
        if tokens & keys:
            return view
    return None


def key_colors(hint: CharacterHint) -> list[tuple[str, RGB]]:
    """The character's key colours, parsed, in the user's order."""
    return [(part, to_color(value, part)) for part, value in hint.key_colors.items()]


def render_sheet(request: ImageRequest) -> Panel:
    """A model-sheet panel: the character(s) in a seeded framing, view and pose on a backdrop of their colours."""
    w, h, ss = request.width, request.height, supersampling(request.width, request.height)
    cast = request.characters[:4]
    # A group needs the full frame's width; one character gets the seed's framing unless the prompt names one.
    framing = sheet_framing(request.prompt) or ("full body" if len(cast) > 1 else None)
    # A line-up stands relaxed, so neighbours' arms never join them into one silhouette.
    still = len(cast) > 1 or "standing" in words(request.prompt)
    rng = stream(request.seed, "variant")
    look = variant(request.seed, rng, framing=framing, view=sheet_view(request.prompt), still=still)
    colors = [c for hint in cast for _, c in key_colors(hint)] or [color_from_name(cast[0].name)]
    image = backdrop((w * ss, h * ss), colors, look.backdrop, stream(request.seed, "sheet"))
    canvas = Canvas(image, ss)
    actors = _place(cast, look, (w, h), stream(request.seed, "cast"))
    for actor in actors:
        paint_actor(
            canvas, actor, light=-1.0, lighting=lambda c: c, style_text=request.prompt if len(cast) == 1 else ""
        )
    final = canvas.image.reduce(ss) if ss > 1 else canvas.image
    labels = [(a.hint.name, (a.x, min(a.feet + h * 0.015, h * 0.9))) for a in actors]
    resolved = {
        "framing": look.framing,
        "view": look.view,
        "pose": look.pose_name,
        "backdrop": look.backdrop,
        "characters_drawn": [a.hint.name for a in actors],
    }
    heading = f"character sheet · {look.framing} · {look.view}"
    return Panel(final, labels, heading, ", ".join(a.hint.name for a in actors), resolved)


def _place(
    cast: tuple[CharacterHint, ...], look: SheetVariant, size: tuple[int, int], rng: random.Random
) -> list[Actor]:
    w, h = size
    human_h, head_top, creature_h, creature_feet = FRAMES[look.framing]
    has_human = any(c.is_human for c in cast)
    actors = []
    for i, hint in enumerate(cast):
        x = w * (look.x if len(cast) == 1 else 0.2 + 0.6 * i / (len(cast) - 1))
        if hint.is_human:
            scale, feet = human_h * h * look.size, (head_top + human_h * look.size) * h
        elif has_human and look.framing == "full body":
            scale, feet = human_h * h * creature_look(hint).size, (head_top + human_h) * h
        else:
            scale, feet = creature_h * h * look.size, creature_feet * h
        back = look.view == "back" and hint.is_human
        lean = math.radians(rng.uniform(-3, 3)) if not hint.is_human else 0.0
        actors.append(Actor(hint, x, feet, scale, look.pose, look.mirror, lean, rear_view=back))
    return actors
