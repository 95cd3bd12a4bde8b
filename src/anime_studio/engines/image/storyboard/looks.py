"""From a character's key colours (part → colour) to the colours of every part of its figure.

Part names are free text ("raincoat", "hair color", "scarf"); their words pick the figure part they
paint. Anything the user did not colour gets a stable colour derived from the character's name, so a
character looks the same in every panel.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from anime_studio.engines.anatomy import tail_count
from anime_studio.engines.image.base import CharacterHint
from anime_studio.engines.image.storyboard.atmosphere import words
from anime_studio.engines.image.storyboard.colors import RGB, color_from_name, darken, lighten, mix, to_color

_HUMAN_PARTS: dict[str, tuple[str, ...]] = {
    "hair": ("hair", "bangs", "ponytail", "braid", "braids", "mane", "fringe"),
    "skin": ("skin", "face", "complexion"),
    "eyes": ("eye", "eyes", "iris", "irises", "pupils"),
    "coat": ("raincoat", "coat", "jacket", "cloak", "cape", "parka", "blazer", "hoodie", "hood", "poncho", "mantle"),
    "dress": ("dress", "kimono", "robe", "gown", "yukata"),
    "top": ("shirt", "top", "blouse", "sweater", "uniform", "tshirt", "tunic", "vest", "outfit", "clothes",
            "clothing", "body", "suit", "armor", "armour", "torso", "sleeves", "jersey"),
    "skirt": ("skirt",),
    "bottom": ("pants", "trousers", "jeans", "shorts", "leggings", "legs", "tights", "stockings", "socks"),
    "shoes": ("shoes", "shoe", "boots", "boot", "sneakers", "feet", "sandals", "heels"),
    "scarf": ("scarf", "tie", "necktie", "ribbon", "bow", "collar", "neckerchief", "bowtie", "muffler"),
    "bag": ("bag", "backpack", "satchel", "purse", "pack", "pouch", "basket", "case"),
    "hat": ("hat", "cap", "helmet", "beret", "headband", "crown", "hairband", "beanie"),
    "gloves": ("gloves", "glove", "hands", "mittens"),
}  # fmt: skip

_CREATURE_PARTS: dict[str, tuple[str, ...]] = {
    "body": ("body", "fur", "skin", "main", "coat", "feathers", "scales", "hide", "paper", "base", "stem"),
    "belly": ("belly", "chest", "tummy", "face", "muzzle"),
    "eyes": ("eye", "eyes", "iris", "pupils"),
    "glow": ("glow", "aura", "light", "flame", "fire", "halo", "heart", "core", "candle", "spark"),
    "frame": ("frame", "trim", "legs", "feet", "paws", "rim", "outline", "horns", "ears", "antenna", "antennae",
              "beak", "cap", "hat", "tail", "wings", "stripes", "shell"),
}  # fmt: skip

HAIR_STYLES = ("bob", "long", "ponytail", "short", "twintails", "spiky")
_HAIR_WORDS = {
    "bob": "bob", "ponytail": "ponytail", "twintails": "twintails", "pigtails": "twintails",
    "spiky": "spiky", "messy": "spiky", "long": "long", "short": "short", "buzz": "short", "crew": "short",
}  # fmt: skip


@dataclass(frozen=True)
class HumanLook:
    """Every colour and style choice of a human figure."""

    hair: RGB
    skin: RGB
    eyes: RGB
    top: RGB
    bottom: RGB
    shoes: RGB
    coat: RGB | None
    hood: bool
    dress: RGB | None
    skirt: RGB | None
    scarf: RGB | None
    bag: RGB | None
    hat: RGB | None
    gloves: RGB | None
    accent: RGB | None
    hair_style: str
    build: float
    """Shoulder width factor, 0.92..1.08, stable per name."""


@dataclass(frozen=True)
class CreatureLook:
    """Colours and body plan of a non-human character."""

    body: RGB
    belly: RGB
    eyes: RGB
    frame: RGB
    glow: RGB | None
    spots: RGB | None
    kind: str
    size: float
    """Height relative to a human."""
    tails: int = 1
    """As many as the species says ("nine-tailed fox"); only tailed body plans draw them."""
    muzzle: bool = False
    """A snout (fox, dog, wolf): the feature that makes the face read as that animal, not a cat or a ball."""


def _assign(key_colors: dict[str, str], table: dict[str, tuple[str, ...]]) -> tuple[dict[str, RGB], list[RGB]]:
    """Sort the user's parts into known figure parts; the rest become accents."""
    found: dict[str, RGB] = {}
    rest: list[RGB] = []
    for part, value in key_colors.items():
        color = to_color(value, part)
        tokens = words(part.replace("_", " "))
        target = next((name for name, keys in table.items() if any(t in keys for t in tokens)), None)
        if target is not None and target not in found:
            found[target] = color
        else:
            rest.append(color)
    return found, rest


def _pick(name: str, salt: str, options: tuple[RGB, ...]) -> RGB:
    digest = hashlib.sha256(f"{name}/{salt}".encode()).digest()
    return options[digest[0] % len(options)]


_SKINS: tuple[RGB, ...] = ((247, 219, 196), (240, 205, 178), (226, 184, 152), (198, 150, 116), (150, 104, 76))
_HAIRS: tuple[RGB, ...] = ((48, 36, 34), (92, 58, 40), (30, 30, 38), (196, 150, 90), (140, 70, 50), (70, 60, 90))


def human_look(hint: CharacterHint, style_text: str = "") -> HumanLook:
    """Map a human character's key colours to figure parts."""
    found, rest = _assign(hint.key_colors, _HUMAN_PARTS)
    name = hint.name
    parts = {w for part in hint.key_colors for w in words(part)}
    top = found.get("top") or found.get("coat") or found.get("dress") or color_from_name(name + "/top", 0.45, 0.5)
    return HumanLook(
        hair=found.get("hair") or _pick(name, "hair", _HAIRS),
        skin=found.get("skin") or _pick(name, "skin", _SKINS[:3]),
        eyes=found.get("eyes") or mix(found.get("hair") or (90, 60, 40), (120, 80, 50), 0.4),
        top=top,
        bottom=found.get("bottom") or mix(darken(top, 0.55), (40, 46, 70), 0.6),
        shoes=found.get("shoes") or (74, 54, 46),
        coat=found.get("coat"),
        hood=bool(parts & {"raincoat", "hoodie", "hood", "parka", "poncho"}),
        dress=found.get("dress"),
        skirt=found.get("skirt"),
        scarf=found.get("scarf"),
        bag=found.get("bag"),
        hat=found.get("hat"),
        gloves=found.get("gloves"),
        accent=rest[0] if rest else None,
        hair_style=hair_style(name, style_text),
        build=0.92 + 0.16 * (hashlib.sha256(name.encode()).digest()[1] / 255),
    )


def hair_style(name: str, style_text: str) -> str:
    """A hair style named in the text ("short black bob"), else one chosen stably from the name."""
    named = [_HAIR_WORDS[w] for w in words(style_text) if w in _HAIR_WORDS]
    for style in ("bob", "ponytail", "twintails", "spiky", "long", "short"):  # the most specific word wins
        if style in named:
            return style
    return HAIR_STYLES[hashlib.sha256(name.encode()).digest()[2] % len(HAIR_STYLES)]


_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("lantern", ("lantern", "lamp", "candle", "lampion")),
    ("mushroom", ("mushroom", "fungus", "shroom", "toadstool")),
    ("bird", ("bird", "owl", "chick", "penguin", "duck", "crow", "sparrow", "parrot")),
    ("robot", ("robot", "mech", "android", "drone", "golem", "machine", "automaton")),
    ("dragon", ("dragon", "dino", "dinosaur", "lizard", "reptile", "kaiju", "wyrm")),
    ("animal", ("cat", "fox", "kitsune", "dog", "wolf", "bunny", "rabbit", "bear", "tanuki", "mouse", "hamster",
                "animal", "beast", "puppy", "kitten", "raccoon", "squirrel")),
    ("blob", ("slime", "blob", "jelly", "ghost", "spirit", "wisp", "bubble")),
)  # fmt: skip


_MUZZLED = frozenset({"fox", "kitsune", "dog", "wolf", "puppy", "tanuki", "raccoon", "bear"})


def creature_kind(species: str) -> str:
    """Body plan from the species words; anything unknown is a round critter."""
    tokens = set(words(species))
    return next((kind for kind, keys in _KINDS if tokens & set(keys)), "round")


def creature_look(hint: CharacterHint) -> CreatureLook:
    """Map a non-human character's key colours to creature parts."""
    found, rest = _assign(hint.key_colors, _CREATURE_PARTS)
    given = [to_color(v, k) for k, v in hint.key_colors.items()]
    body = found.get("body") or (given[0] if given else color_from_name(hint.name + "/body", 0.6, 0.6))
    tokens = set(words(hint.species))
    size = 0.5
    if tokens & {"tiny", "small", "little", "mini", "fairy", "sprite", "mouse", "chick", "spirit", "hamster"}:
        size = 0.4
    if tokens & {"big", "giant", "huge", "large", "golem", "dragon", "bear", "kaiju", "titan"}:
        size = 1.0
    return CreatureLook(
        body=body,
        belly=found.get("belly") or lighten(body, 0.35),
        eyes=found.get("eyes") or (40, 32, 36),
        frame=found.get("frame") or darken(body, 0.45),
        glow=found.get("glow"),
        spots=rest[0] if rest else None,
        kind=creature_kind(hint.species),
        size=size,
        tails=tail_count(hint.species),
        muzzle=bool(tokens & _MUZZLED),
    )
