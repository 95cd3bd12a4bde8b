"""What a background is drawn with: the canvas, horizon, world palette, light, and the resolved setting."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from anime_studio.engines.image.storyboard.atmosphere import Sky, words
from anime_studio.engines.image.storyboard.canvas import Canvas
from anime_studio.engines.image.storyboard.colors import RGB, mix, parse_color, scale

_DEFAULT_PALETTE: dict[str, tuple[RGB, ...]] = {
    "primary": ((74, 111, 165), (201, 123, 99)),
    "secondary": ((107, 143, 113), (217, 160, 91)),
    "accent": ((255, 209, 102),),
    "background": ((43, 58, 85), (143, 167, 191)),
}


@dataclass(frozen=True)
class WorldPalette:
    """The world's colour palette (Story tab): lists of colours per role, defaults where a role is empty."""

    primary: tuple[RGB, ...]
    secondary: tuple[RGB, ...]
    accent: tuple[RGB, ...]
    background: tuple[RGB, ...]
    given: bool

    @classmethod
    def from_hint(cls, palette: dict[str, list[str]]) -> WorldPalette:
        """Parse the hint's hex/CSS lists; unreadable entries are skipped."""
        roles: dict[str, tuple[RGB, ...]] = {}
        for role, default in _DEFAULT_PALETTE.items():
            values = palette.get(role) or []
            parsed = tuple(c for c in (parse_color(str(v)) for v in values) if c is not None)
            roles[role] = parsed or default
        given = any(palette.get(role) for role in _DEFAULT_PALETTE)
        return cls(roles["primary"], roles["secondary"], roles["accent"], roles["background"], given)

    def pick(self, role: str, index: int) -> RGB:
        """The ``index``-th colour of a role, cycling."""
        colors: tuple[RGB, ...] = getattr(self, role)
        return colors[index % len(colors)]


LOCATION_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("classroom", frozenset({"classroom", "homeroom", "lecture"})),
    ("interior", frozenset({
        "room", "interior", "bedroom", "kitchen", "house", "home", "apartment", "office", "cafe", "shop", "store",
        "library", "hall", "inside", "indoors", "inn", "restaurant", "bar", "studio", "corridor", "hallway",
        "living", "attic", "workshop", "bakery", "teahouse", "clinic", "lab", "laboratory",
    })),
    ("lighthouse", frozenset({"lighthouse", "beacon"})),
    ("harbour", frozenset({"harbour", "harbor", "port", "dock", "docks", "pier", "wharf", "marina", "quay"})),
    ("beach", frozenset({"beach", "shore", "coast", "seaside", "sand", "bay", "cove"})),
    ("sea", frozenset({"sea", "ocean", "lake", "river", "water", "boat", "ship", "waves"})),
    ("forest", frozenset({"forest", "woods", "wood", "jungle", "grove", "trees", "park", "garden", "shrine",
                          "temple", "orchard", "bamboo"})),
    ("mountain", frozenset({"mountain", "mountains", "hill", "hills", "cliff", "cliffs", "valley", "peak",
                            "canyon", "pass", "summit"})),
    ("sky", frozenset({"sky", "clouds", "rooftop", "roof", "air", "flying", "heavens"})),
    ("town", frozenset({"street", "streets", "town", "city", "alley", "market", "village", "downtown", "road",
                        "station", "plaza", "square", "bridge", "school", "festival", "avenue", "crossing",
                        "neighborhood", "neighbourhood", "lane", "shops"})),
    ("field", frozenset({"field", "fields", "meadow", "countryside", "farm", "plain", "grassland", "prairie",
                         "outside", "outdoors"})),
)  # fmt: skip


@dataclass(frozen=True)
class Setting:
    """The resolved location: one background kind plus modifier words (festival, shrine, rooftop, …)."""

    kind: str
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def outdoor(self) -> bool:
        return self.kind not in {"interior", "classroom"}

    def has(self, *keys: str) -> bool:
        return any(k in self.words for k in keys)


INDOOR_MARKERS = frozenset({"interior", "inside", "indoors"})
_KIND_OF = {key: kind for kind, keys in reversed(LOCATION_KINDS) for key in keys}


def resolve_setting(location: str, fallback_text: str = "") -> Setting:
    """The background kind of the location's first place word ("harbour street, post office" is a street).

    "interior"/"inside"/"indoors" anywhere make it an interior; the prompt is used when the location
    names no place; a field when nothing does.
    """
    for text in (location, fallback_text):
        ordered = list(words(text))
        tokens = frozenset(ordered)
        if tokens & INDOOR_MARKERS:
            return Setting("interior", tokens)
        kind = next((_KIND_OF[w] for w in ordered if w in _KIND_OF), None)
        if kind is not None:
            return Setting(kind, tokens)
    return Setting("field", frozenset(words(location)))


@dataclass
class Stage:
    """Everything a background layer draws with. Coordinates are final-image pixels."""

    canvas: Canvas
    horizon: float
    zoom: float
    rng: random.Random
    palette: WorldPalette
    sky: Sky
    time: str
    weather: str
    setting: Setting

    @property
    def width(self) -> float:
        return self.canvas.width

    @property
    def height(self) -> float:
        return self.canvas.height

    @property
    def night(self) -> bool:
        return self.time in {"evening", "night"}

    def lit(self, color: RGB, depth: float = 0.0) -> RGB:
        """A surface colour under the scene light, faded into the haze with distance (0 near .. 1 far)."""
        haze = 0.8 if self.weather == "fog" else 0.5
        return mix(scale(color, self.sky.ambient), self.sky.haze, depth * haze)

    def lamp(self, index: int = 0) -> RGB:
        """Colour of lamps and lit windows: the palette's accent, kept warm and bright."""
        return mix(self.palette.pick("accent", index), (255, 214, 140), 0.35)

    def ground_color(self, base: RGB) -> RGB:
        """Ground under the current weather: white under snow, darker when wet."""
        if self.weather == "snow":
            return mix(base, (236, 240, 248), 0.82)
        if self.weather in {"rain", "storm"}:
            return mix(base, (40, 50, 70), 0.22)
        return base

    def band(self, y0: float, y1: float, near: RGB, far: RGB, steps: int = 24) -> None:
        """Horizontal strips from ``far`` (top, ``y0``) to ``near`` (bottom, ``y1``): a ground gradient."""
        if y1 <= y0:
            return
        for i in range(steps):
            t0 = i / steps
            color = mix(far, near, (i + 0.5) / steps)
            self.canvas.rect(0, y0 + (y1 - y0) * t0, self.width, y0 + (y1 - y0) * (i + 1) / steps + 1, color)
