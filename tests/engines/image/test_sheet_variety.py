"""Character sheets vary what a model sheet varies (view, framing, pose, backdrop) and keep the identity."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anime_studio.engines.image.base import CharacterHint
from anime_studio.engines.image.storyboard.creatures import creature_shapes
from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.figures import Pose
from anime_studio.engines.image.storyboard.looks import creature_look
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import review_image
from tests.engines.samples import image_request

HANA = CharacterHint("Hana", {"hair": "black", "kimono": "indigo", "obi": "red"})
# What every framing shows (a portrait crops the obi at the waist; that is framing, not a lost identity).
ALWAYS_VISIBLE = {"Hana": ("hair", "kimono"), "Kitsu": ("fur", "chest")}
KITSU = CharacterHint(
    "Kitsu", {"fur": "orange", "chest": "cream"}, "nine-tailed fox spirit (NOT human)", is_human=False
)
SEEDS = range(100, 106)


def dhash(path: Path, side: int = 16) -> np.ndarray:
    """Difference hash: is each pixel of a tiny grey thumbnail brighter than its right neighbour (side² bits)."""
    with Image.open(path) as image:
        grey = np.asarray(image.convert("L").resize((side + 1, side), Image.Resampling.LANCZOS), dtype=np.int16)
    return (grey[:, 1:] > grey[:, :-1]).reshape(-1)


def sheets(tmp_path: Path, character: CharacterHint) -> list[Path]:
    paths = []
    for seed in SEEDS:
        request = image_request(
            tmp_path / f"{character.name}_{seed}.png",
            scene=None,
            characters=(character,),
            prompt="anime style",
            seed=seed,
            width=384,
            height=384,
        )
        data, _ = render_png(request, Typeface())
        request.output_path.write_bytes(data)
        paths.append(request.output_path)
    return paths


@pytest.mark.parametrize("character", [HANA, KITSU], ids=["human", "fox"])
def test_sheets_of_one_character_are_pairwise_far_apart_and_keep_its_colours(
    tmp_path: Path, character: CharacterHint
) -> None:
    paths = sheets(tmp_path, character)
    hashes = [dhash(p) for p in paths]
    distances = [int((a != b).sum()) for a, b in itertools.combinations(hashes, 2)]
    # 256-bit hashes. Re-seeding used to move only background details: 13-49 bits apart (27 at best for
    # Hana, 13 for Kitsu); a new view, framing, pose and backdrop measure 73-138.
    assert min(distances) >= 60, sorted(distances)
    for path in paths:
        review = ReviewRequest(
            image_path=path,
            key_colors={part: character.key_colors[part] for part in ALWAYS_VISIBLE[character.name]},
            is_human=character.is_human,
            species=character.species,
        )
        checklist = review_image(review).feature_checklist
        assert all(checklist.values()), (path.name, checklist)


def test_a_nine_tailed_fox_has_nine_tails_and_a_muzzle() -> None:
    one = creature_look(CharacterHint("Fox", {"fur": "orange"}, "fox (NOT human)", False))
    nine = creature_look(KITSU)
    cat = creature_look(CharacterHint("Tama", {"fur": "grey"}, "cat (NOT human)", False))
    assert (one.tails, nine.tails, one.muzzle, nine.muzzle, cat.muzzle) == (1, 9, True, True, False)
    # Each tail is a bushy capsule with a pale tip: eight more tails are sixteen more shapes.
    assert len(creature_shapes(nine, Pose(), detail=2)) - len(creature_shapes(one, Pose(), detail=2)) == 16


def test_the_prompt_can_pin_the_view_and_framing(tmp_path: Path) -> None:
    requests = [
        image_request(tmp_path / f"{seed}.png", scene=None, characters=(HANA,), prompt="portrait, side view", seed=seed)
        for seed in SEEDS
    ]
    resolved = [render_png(r, Typeface())[1]["resolved"] for r in requests]
    assert {(r["framing"], r["view"]) for r in resolved} == {("portrait", "side")}


def test_a_fox_seen_from_behind_shows_no_snout_or_belly() -> None:
    fox = creature_look(KITSU)
    front = creature_shapes(fox, Pose(), detail=0)
    behind = creature_shapes(fox, Pose(), detail=0, rear=True)
    assert len(front) - len(behind) == 3  # belly, snout, nose
