"""The heuristic reviewer: clarity, exposure, resolution, key colours, solo and completeness."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageFilter

from anime_studio.engines.image.base import CharacterHint, SceneHint
from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.engines.vision.base import ReviewRequest
from anime_studio.engines.vision.heuristic import HeuristicReviewer, review_image
from anime_studio.engines.vision.metrics import delta_e2000, to_lab
from tests.engines.samples import HANA, KAI, PIP, image_request


@pytest.fixture(scope="module")
def sheets(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Character sheets and variants, rendered once."""
    folder = tmp_path_factory.mktemp("sheets")
    paths: dict[str, Path] = {}
    for name, cast, prompt in (
        ("hana", (HANA,), "full body, front view"),
        ("portrait", (HANA,), "portrait, front view"),
        ("kai", (KAI,), "full body, front view"),
        ("pip", (PIP,), "full body, front view"),
        ("trio", (HANA, KAI, CharacterHint("Yuki", {"hair": "pink", "dress": "#5f9ea0"})), "front view"),
    ):
        request = image_request(
            folder / f"{name}.png", scene=None, characters=cast, prompt=prompt, width=768, height=768
        )
        data, _ = render_png(request, Typeface())
        request.output_path.write_bytes(data)
        paths[name] = request.output_path
    with Image.open(paths["hana"]) as image:
        image.filter(ImageFilter.GaussianBlur(6)).save(folder / "blurry.png")
        Image.eval(image, lambda v: v // 5).save(folder / "dark.png")
        image.resize((320, 240)).save(folder / "small.png")
    paths |= {n: folder / f"{n}.png" for n in ("blurry", "dark", "small")}
    return paths


def review(path: Path, character: CharacterHint = HANA, **changes: object) -> ReviewRequest:
    fields: dict[str, object] = {
        "image_path": path,
        "character_name": character.name,
        "key_colors": dict(character.key_colors),
        "species": character.species,
        "is_human": character.is_human,
        "expected_width": 768,
        "expected_height": 768,
    }
    fields.update(changes)
    return ReviewRequest(**fields)  # type: ignore[arg-type]


def test_a_clean_sheet_of_the_character_scores_high(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["hana"]))
    assert scores.character_match >= 8 and scores.clarity >= 8 and scores.training_value >= 8
    assert scores.solo and scores.completeness == "full"
    assert scores.quality_score >= 0.8 and scores.issues == []
    assert all(scores.feature_checklist.values()) and len(scores.feature_checklist) == 4
    assert scores.species_verified is None


def test_key_colours_decide_character_match(sheets: dict[str, Path]) -> None:
    right = review_image(review(sheets["hana"]))
    wrong = review_image(review(sheets["kai"]))  # Kai's sheet reviewed as Hana
    assert right.character_match >= wrong.character_match + 4
    assert "key colour 'raincoat' (#f2c14e) not found" in " ".join(wrong.issues)
    assert wrong.feature_checklist["key colour raincoat (#f2c14e)"] is False


def test_blurry_scores_below_sharp(sheets: dict[str, Path]) -> None:
    sharp, blurry = review_image(review(sheets["hana"])), review_image(review(sheets["blurry"]))
    assert blurry.clarity < sharp.clarity - 3
    assert any(issue.startswith("blurry") for issue in blurry.issues)
    assert not any(issue.startswith("blurry") for issue in sharp.issues)


def test_dark_image_is_flagged(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["dark"]))
    assert any(issue.startswith("underexposed") for issue in scores.issues)
    assert scores.quality_score < 0.4  # the spec's auto-reject threshold


def test_low_resolution_is_named_with_sizes(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["small"], expected_width=1024, expected_height=576))
    assert "low resolution 320x240 < expected 1024x576" in scores.issues
    full = review_image(review(sheets["hana"], expected_width=1024, expected_height=576))
    assert scores.training_value < full.training_value


def test_solo_and_group(sheets: dict[str, Path]) -> None:
    assert review_image(review(sheets["hana"])).solo
    group = review_image(review(sheets["trio"]))
    assert not group.solo
    assert any("separate figures" in issue for issue in group.issues)


def test_portrait_is_not_a_full_figure(sheets: dict[str, Path]) -> None:
    assert review_image(review(sheets["portrait"])).completeness in {"face", "partial"}


def test_non_human_species_is_left_unverified(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["pip"], PIP))
    assert scores.species_verified is None
    assert any("species 'lantern spirit (NOT human)' not verified" in issue for issue in scores.issues)
    assert scores.character_match >= 8


def test_storyboard_scene_with_the_character_beats_one_without(tmp_path: Path) -> None:
    scene = SceneHint(location="beach", time_of_day="afternoon", shot_type="medium")
    paths = []
    for name, cast in (("with", (HANA,)), ("without", (KAI,))):
        request = image_request(tmp_path / f"{name}.png", characters=cast, scene=scene, width=1024, height=576)
        request.output_path.write_bytes(render_png(request, Typeface())[0])
        paths.append(request.output_path)
    with_hana = review_image(review(paths[0], expected_width=1024, expected_height=576))
    without = review_image(review(paths[1], expected_width=1024, expected_height=576))
    assert with_hana.character_match > without.character_match + 3


def test_unreadable_key_colour_is_reported(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["hana"], key_colors={"aura": "#zzzzzz", "hair": "#1b1b1b"}))
    assert any("'aura'" in issue and "not a colour" in issue for issue in scores.issues)
    assert list(scores.feature_checklist) == ["key colour hair (#1b1b1b)"]


def test_no_key_colours_is_neutral(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["hana"], key_colors={}))
    assert scores.character_match == 5.0 and scores.feature_checklist == {}


async def test_reviews_1024x576_fast(tmp_path: Path) -> None:
    request = image_request(tmp_path / "panel.png", width=1024, height=576)
    request.output_path.write_bytes(render_png(request, Typeface())[0])
    reviewer = HeuristicReviewer()
    await reviewer.review(review(request.output_path))
    started = time.perf_counter()
    await reviewer.review(review(request.output_path))
    assert time.perf_counter() - started < 0.5  # ~0.03 s measured; generous for a loaded CI machine


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [  # Sharma, Wu & Dalal (2005), CIEDE2000 test data, pairs 1, 7, 17 and 25
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
    ],
)
def test_ciede2000_matches_published_values(
    lab1: tuple[float, float, float], lab2: tuple[float, float, float], expected: float
) -> None:
    assert float(delta_e2000(np.array(lab1), np.array(lab2))) == pytest.approx(expected, abs=1e-3)


def test_lab_of_srgb_primaries() -> None:
    white, red = to_lab(np.array([255, 255, 255])), to_lab(np.array([255, 0, 0]))
    assert white == pytest.approx([100, 0, 0], abs=0.05)
    assert red == pytest.approx([53.24, 80.09, 67.20], abs=0.1)


def test_art_colour_words_are_drawn_and_found(tmp_path: Path) -> None:
    """cream / golden / amber: the storyboard paints them and the reviewer reads them (one vocabulary)."""
    kitsu = CharacterHint("Kitsu", {"fur": "golden", "chest": "cream"}, "fox spirit (NOT human)", False)
    request = image_request(tmp_path / "kitsu.png", scene=None, characters=(kitsu,), prompt="full body, front view")
    data, _ = render_png(request, Typeface())
    request.output_path.write_bytes(data)
    scores = review_image(review(request.output_path, kitsu, expected_width=512, expected_height=288))
    assert scores.feature_checklist == {"key colour fur (golden)": True, "key colour chest (cream)": True}
    assert not any("not a colour" in issue for issue in scores.issues)


def test_a_key_colour_present_in_a_sliver_says_how_much(sheets: dict[str, Path]) -> None:
    scores = review_image(review(sheets["hana"], key_colors={"scarf": "#c0392b", "tie": "#1b1b1b"}))
    tiny = review_image(review(sheets["small"], key_colors={"button": "#7b4b2a"}))
    assert all("closest ΔE 0 " not in issue for issue in scores.issues + tiny.issues)


def test_a_human_looking_figure_fails_a_non_human_species_check(tmp_path: Path) -> None:
    """Skin-toned figure, none of Pip's key colours: the heuristic answers "no" and says why."""
    image = Image.new("RGB", (768, 768), (235, 240, 245))
    canvas = np.asarray(image).copy()
    canvas[120:700, 260:500] = (224, 172, 140)  # a light human skin tone
    canvas[120:300, 300:460] = (60, 40, 30)  # dark hair on top
    rng = np.random.default_rng(3)
    canvas = np.clip(canvas + rng.integers(-12, 12, canvas.shape), 0, 255).astype(np.uint8)
    path = tmp_path / "person.png"
    Image.fromarray(canvas).save(path)
    scores = review_image(review(path, PIP))
    assert scores.species_verified is False
    assert any(i.startswith("species 'lantern spirit (NOT human)' check failed") for i in scores.issues)
    sheet = review_image(review(path, HANA))
    assert sheet.species_verified is None  # humans get no species question
