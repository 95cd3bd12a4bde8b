"""The storyboard renderer: composition, light, weather, figures, annotations, provenance."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anime_studio.engines.base import EngineError
from anime_studio.engines.image.base import CharacterHint, ImageRequest, SceneHint
from anime_studio.engines.image.storyboard import StoryboardEngine
from anime_studio.engines.image.storyboard.engine import render_png
from anime_studio.engines.image.storyboard.overlay import Typeface
from anime_studio.engines.image.storyboard.post import camera_matrix, project
from anime_studio.engines.vision.heuristic import figure_blobs
from anime_studio.engines.vision.metrics import delta_e2000, to_lab
from tests.engines.samples import HANA, KAI, PIP, image_request, pixels, textured_image

CLEAR_DAY = SceneHint(location="meadow", time_of_day="midday", weather="clear", shot_type="wide")


def render(tmp_path: Path, name: str, **changes: object) -> np.ndarray:
    """Render synchronously (no event loop needed) and return the pixels."""
    request = image_request(tmp_path / f"{name}.png", **changes)
    data, _ = render_png(request, Typeface())
    request.output_path.write_bytes(data)
    return pixels(request.output_path)


def share_near(image: np.ndarray, hex_color: str, within: float = 10.0) -> float:
    """Fraction of pixels within a CIEDE2000 distance of a colour."""
    rgb = Image.new("RGB", (1, 1), hex_color).getpixel((0, 0))
    small = np.asarray(Image.fromarray(image).resize((256, 144)))
    distance = delta_e2000(to_lab(small).reshape(-1, 3), to_lab(np.array(rgb, dtype=np.float32))[None, :])
    return float((distance < within).mean())


def test_figures_grow_from_establishing_to_medium(tmp_path: Path) -> None:
    shares = [
        share_near(render(tmp_path, shot, characters=(HANA,), scene=replace(CLEAR_DAY, shot_type=shot)), "#f2c14e")
        for shot in ("establishing", "wide", "medium")
    ]
    assert 0 < shares[0] < shares[1] < shares[2]


def test_extreme_close_up_is_a_face(tmp_path: Path) -> None:
    image = render(tmp_path, "ecu", characters=(HANA,), scene=replace(CLEAR_DAY, shot_type="extreme_close-up"))
    skin = share_near(image, "#f7dbc4", 12) + share_near(image, "#f0cdb2", 12) + share_near(image, "#e2b898", 12)
    assert skin > 0.2
    assert share_near(image, "#f2c14e") < 0.01  # no raincoat in an eyes-and-face crop


def sky_share(image: np.ndarray) -> float:
    r, _g, b = (image[..., i].astype(int) for i in range(3))
    return float(((b > r + 40) & (b > 140)).mean())


def test_camera_angle_moves_the_horizon(tmp_path: Path) -> None:
    def sky(angle: str) -> float:
        scene = replace(CLEAR_DAY, camera_angle=angle)
        return sky_share(render(tmp_path, angle, characters=(HANA,), scene=scene))

    low, level, high, above = sky("low_angle"), sky("eye_level"), sky("high_angle"), sky("birds_eye")
    assert low > level > high > above
    assert above < 0.02


def test_dutch_angle_rolls_the_frame(tmp_path: Path) -> None:
    level = render(tmp_path, "level", characters=(), scene=CLEAR_DAY)
    dutch = render(tmp_path, "dutch", characters=(), scene=replace(CLEAR_DAY, camera_angle="dutch"))
    assert np.abs(level.astype(int) - dutch.astype(int)).mean() > 10
    matrix = camera_matrix((512, 288), 8.4, 0.0)
    left, right = project(matrix, (100.0, 144.0)), project(matrix, (412.0, 144.0))
    assert abs(left[1] - right[1]) > 30  # a level line through the middle now slopes by ~8 degrees
    assert camera_matrix((512, 288), 0.0, 0.0) is None


def test_keystone_keeps_every_corner_filled() -> None:
    for keystone in (0.14, -0.2):
        matrix = camera_matrix((512, 288), 7.0, keystone)
        assert matrix is not None
        for corner in ((0, 0), (512, 0), (0, 288), (512, 288)):
            x, y, z = matrix @ np.array([corner[0], corner[1], 1.0])
            assert -0.5 <= x / z <= 512.5 and -0.5 <= y / z <= 288.5  # samples inside the rendered frame


def test_non_human_is_a_round_creature_not_a_person(tmp_path: Path) -> None:
    colors = {"body": "#3a7bd5", "hair": "#3a7bd5"}
    sheet = "full body, front view, standing"
    person = render(tmp_path, "person", scene=None, prompt=sheet, characters=(CharacterHint("Aoi", colors),))
    creature = render(
        tmp_path,
        "creature",
        scene=None,
        prompt=sheet,
        characters=(CharacterHint("Aoi", colors, "blob (NOT human)", False),),
    )
    person_blob = figure_blobs(to_lab(np.asarray(Image.fromarray(person).resize((160, 90)))))[0]
    creature_blob = figure_blobs(to_lab(np.asarray(Image.fromarray(creature).resize((160, 90)))))[0]
    # Aspect in pixels: a standing person is several times taller than wide, the creature is not.
    assert person_blob.height * 288 / (person_blob.width * 512) > 2.2
    assert creature_blob.height * 288 / (creature_blob.width * 512) < 1.6


def test_rain_streaks_cover_the_whole_frame(tmp_path: Path) -> None:
    clear = render(tmp_path, "clear", scene=replace(CLEAR_DAY, weather="clear"))
    rain = render(tmp_path, "rain", scene=replace(CLEAR_DAY, weather="rain"))
    diff = np.abs(clear.astype(int) - rain.astype(int)).sum(axis=-1)
    h, w = diff.shape
    for quadrant in (
        diff[: h // 2, : w // 2],
        diff[: h // 2, w // 2 :],
        diff[h // 2 :, : w // 2],
        diff[h // 2 :, w // 2 :],
    ):
        assert (quadrant > 30).mean() > 0.05


def test_snow_whitens_the_ground_and_night_darkens_the_sky(tmp_path: Path) -> None:
    day = render(tmp_path, "day", characters=(), scene=CLEAR_DAY)
    snow = render(tmp_path, "snow", characters=(), scene=replace(CLEAR_DAY, weather="snow"))
    night = render(tmp_path, "night", characters=(), scene=replace(CLEAR_DAY, time_of_day="night"))
    bottom = slice(int(day.shape[0] * 0.8), None)
    assert snow[bottom].mean() > day[bottom].mean() + 40
    top = slice(0, day.shape[0] // 4)
    assert night[top].mean() < day[top].mean() - 60


def test_world_palette_colours_the_background(tmp_path: Path) -> None:
    scene = SceneHint(location="town street", time_of_day="midday", shot_type="wide")
    red = render(
        tmp_path, "red", characters=(), scene=replace(scene, palette={"primary": ["#d62828"], "secondary": ["#f77f00"]})
    )
    blue = render(
        tmp_path,
        "blue",
        characters=(),
        scene=replace(scene, palette={"primary": ["#1d3557"], "secondary": ["#457b9d"]}),
    )
    assert red[..., 0].mean() - red[..., 2].mean() > blue[..., 0].mean() - blue[..., 2].mean() + 10


def test_locations_draw_different_backgrounds(tmp_path: Path) -> None:
    places = ("harbour", "forest", "classroom", "beach", "lighthouse", "mountain", "street")
    images = [render(tmp_path, p, characters=(), scene=replace(CLEAR_DAY, location=p)) for p in places]
    for i in range(len(images)):
        for j in range(i + 1, len(images)):
            assert np.abs(images[i].astype(int) - images[j].astype(int)).mean() > 8, (places[i], places[j])


def test_moods_grade_the_panel(tmp_path: Path) -> None:
    def saturation(image: np.ndarray) -> float:
        return float((image.max(axis=-1).astype(int) - image.min(axis=-1)).mean())

    joyful = render(tmp_path, "joyful", scene=replace(CLEAR_DAY, mood="joyful"))
    sad = render(tmp_path, "sad", scene=replace(CLEAR_DAY, mood="melancholy"))
    assert saturation(joyful) > saturation(sad) + 10


def test_seed_varies_details_but_keeps_the_composition(tmp_path: Path) -> None:
    a = render(tmp_path, "a", seed=1, characters=(HANA,), scene=CLEAR_DAY)
    b = render(tmp_path, "b", seed=2, characters=(HANA,), scene=CLEAR_DAY)
    assert np.abs(a.astype(int) - b.astype(int)).mean() > 3
    coat_a, coat_b = share_near(a, "#f2c14e"), share_near(b, "#f2c14e")
    assert coat_a == pytest.approx(coat_b, rel=0.5)


def test_wide_shot_spreads_several_characters(tmp_path: Path) -> None:
    cast = (HANA, KAI, CharacterHint("Yuki", {"hair": "pink", "dress": "#5f9ea0"}))
    image = render(tmp_path, "trio", characters=cast, scene=replace(CLEAR_DAY, location="beach"))
    figures = figure_blobs(to_lab(np.asarray(Image.fromarray(image).resize((160, 90)))))
    assert len(figures) >= 3
    centres = sorted((f.x0 + f.x1) / 2 for f in figures[:3])
    assert centres[-1] - centres[0] > 0.3


def test_caps_the_cast_per_shot(tmp_path: Path) -> None:
    cast = tuple(CharacterHint(f"Extra {i}", {"coat": "#888888"}) for i in range(9))
    _, parameters = render_png(image_request(tmp_path / "x.png", characters=cast, scene=CLEAR_DAY), Typeface())
    assert len(parameters["resolved"]["characters_drawn"]) == 6
    ecu = replace(CLEAR_DAY, shot_type="extreme_close-up")
    _, parameters = render_png(image_request(tmp_path / "y.png", characters=cast, scene=ecu), Typeface())
    assert parameters["resolved"]["characters_drawn"] == ["Extra 0"]


def test_parameters_are_recorded_and_embedded(tmp_path: Path) -> None:
    request = image_request(tmp_path / "p.png")
    data, parameters = render_png(request, Typeface())
    assert parameters["seed"] == 7 and parameters["width"] == 512 and parameters["renderer"] == "storyboard-v1"
    assert parameters["resolved"]["weather"] == "rain" and parameters["resolved"]["location_kind"] == "harbour"
    assert parameters["characters"][1]["is_human"] is False
    request.output_path.write_bytes(data)
    with Image.open(request.output_path) as image:
        assert json.loads(image.info["parameters"]) == parameters


def test_free_text_scene_words_are_understood(tmp_path: Path) -> None:
    scene = SceneHint(location="Kiriyama harbor pier", time_of_day="Dusk", weather="Thunderstorm", mood="eerie",
                      shot_type="Extreme Close Up", camera_angle="Bird's eye")  # fmt: skip
    _, parameters = render_png(image_request(tmp_path / "w.png", scene=scene), Typeface())
    resolved = parameters["resolved"]
    assert (resolved["location_kind"], resolved["time_of_day"], resolved["weather"]) == ("harbour", "sunset", "storm")
    assert (resolved["mood"], resolved["shot_type"], resolved["camera_angle"]) == (
        "mysterious",
        "extreme_close-up",
        "birds_eye",
    )


def test_raincoat_is_not_rain(tmp_path: Path) -> None:
    request = image_request(tmp_path / "r.png", prompt="girl in a yellow raincoat", scene=SceneHint(shot_type="wide"))
    _, parameters = render_png(request, Typeface())
    assert parameters["resolved"]["weather"] == "clear"


def test_img2img_blend_follows_denoise(tmp_path: Path) -> None:
    init = textured_image(tmp_path / "init.png", (512, 288))
    base = render(tmp_path, "base")
    kept = render(tmp_path, "kept", init_image=init, denoise=0.0)
    half = render(tmp_path, "half", init_image=init, denoise=0.5)
    centre = (slice(100, 180), slice(180, 330))  # no label, caption or border there
    original = pixels(init)[centre].astype(float)
    assert np.abs(kept[centre] - original).max() <= 1
    expected = original * 0.5 + base[centre].astype(float) * 0.5
    assert np.abs(half[centre] - expected).max() <= 1


def test_other_aspect_ratios_and_sizes(tmp_path: Path) -> None:
    for width, height in ((288, 512), (64, 64), (1920, 1080)):
        image = render(tmp_path, f"{width}x{height}", width=width, height=height)
        assert image.shape == (height, width, 3)


def test_typeface_folds_what_the_bundled_font_cannot_show() -> None:
    bundled = Typeface(search=False)
    assert bundled.name == "pillow-default"
    assert bundled.clean("Zoë Ōta") == "Zoe Ota"
    assert bundled.clean("花") == "?"


def test_missing_configured_font_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="font not found"):
        StoryboardEngine(font=tmp_path / "missing.ttf")


async def test_writes_only_png(tmp_path: Path) -> None:
    with pytest.raises(EngineError, match="png"):
        await StoryboardEngine().generate(image_request(tmp_path / "panel.jpg"))


def test_renders_a_1024x576_panel_quickly(tmp_path: Path) -> None:
    request: ImageRequest = image_request(tmp_path / "fast.png", width=1024, height=576)
    render_png(request, Typeface())  # warm-up: font loading, imports
    started = time.perf_counter()
    render_png(request, Typeface())
    assert time.perf_counter() - started < 1.0  # ~0.15 s measured; generous for a loaded CI machine


def test_pip_keeps_its_colours_in_a_character_sheet(tmp_path: Path) -> None:
    image = render(tmp_path, "pip", scene=None, characters=(PIP,))
    assert share_near(image, "#f39c12") > 0.03


def test_shot_frames_carry_no_labels_captions_legends_or_border(tmp_path: Path) -> None:
    """The PNG is exactly the composed picture; names and captions travel as parameters for review views."""
    from io import BytesIO

    from anime_studio.engines.image.storyboard.compose import render_scene
    from anime_studio.engines.image.storyboard.sheet import render_sheet

    scene = image_request(tmp_path / "shot.png", scene=replace(CLEAR_DAY, caption="Hana: “Wait for me!”"))
    sheet = image_request(tmp_path / "sheet.png", scene=None, characters=(HANA,))
    for request, panel in ((scene, render_scene(scene, scene.scene)), (sheet, render_sheet(sheet))):  # type: ignore[arg-type]
        data, parameters = render_png(request, Typeface())
        with Image.open(BytesIO(data)) as written:
            assert np.array_equal(np.asarray(written.convert("RGB")), np.asarray(panel.image))
        assert parameters["annotations"]["labels"] and parameters["annotations"]["heading"]
    assert render_png(sheet, Typeface())[1]["annotations"]["swatches"]["raincoat"] == "#f2c14e"


@pytest.mark.parametrize("shot", ["establishing", "wide", "medium", "close-up", "action"])
def test_figures_stand_inside_the_action_safe_area_of_any_final_crop(shot: str) -> None:
    import random

    from anime_studio.engines.image.storyboard.cast import SAFE_CENTRES, _slots
    from anime_studio.engines.video.camera_moves import Move, cover_box, source_box

    # The final window of a pan to either side, shrunk to its 93 % action-safe area, in fractions of the width.
    left, right = (
        source_box(Move(k, shot, 1, 3.0).at(1.0), cover_box((1000, 1000), (1000, 1000)))
        for k in ("pan_left", "pan_right")
    )
    safe = (right[0] / 1000 + 0.035 * (right[2] - right[0]) / 1000, left[2] / 1000 - 0.035 * (left[2] - left[0]) / 1000)
    assert safe[0] <= SAFE_CENTRES[0] and SAFE_CENTRES[1] <= safe[1]
    for count in range(1, 6):
        for seed in range(5):
            slots = _slots(count, shot, random.Random(seed))
            assert all(safe[0] <= x <= safe[1] for x in slots), (count, slots)
