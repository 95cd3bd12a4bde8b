"""The kenburns engine: move choice, smooth sub-pixel paths, real motion, exact last frame, colours."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from anime_studio.engines.video.camera_moves import MOVES, Move, choose_move, cover_box, source_box
from anime_studio.engines.video.kenburns import KenBurnsEngine, render_frame
from anime_studio.media.frames import frame_at
from tests.engines.samples import pixels, textured_image, video_request


@pytest.mark.parametrize(
    ("prompt", "shot", "move"),
    [
        ("camera slowly zooms in on the location", "establishing", "push_in"),
        ("slow zoom out revealing the full scene", "wide", "pull_out"),
        ("wide dolly shot revealing the setting", "establishing", "pull_out"),
        ("camera pans left to right across the wide shot", "wide", "pan_right"),
        ("pan from right to left", "wide", "pan_left"),
        ("the camera pans left", "medium", "pan_left"),
        ("tilt up to the lighthouse", "wide", "tilt_up"),
        ("character leaps into frame with dynamic pose", "action", "shake"),
        ("fast punch or kick with motion blur", "action", "shake"),
        ("character sprints forward, running sequence", "medium", "shake"),
        ("gentle aerial view drifting over the scene", "establishing", "drift"),
        ("subtle breathing motion, gentle chest rise and fall", "close-up", "push_in"),
        ("subtle idle sway, character shifts weight", "medium", "drift"),
        ("", "wide", "pull_out"),
        ("", "extreme_close-up", "push_in"),
        ("", "action", "shake"),
    ],
)
def test_move_from_prompt_and_shot(prompt: str, shot: str, move: str) -> None:
    assert choose_move(prompt, shot, seed=1) == move


def test_establishing_pans_one_way_or_the_other_by_seed() -> None:
    moves = {choose_move("", "establishing", seed) for seed in range(12)}
    assert moves == {"pan_left", "pan_right"}


@pytest.mark.parametrize("kind", MOVES)
def test_paths_are_smooth_and_stay_inside_the_image(kind: str) -> None:
    move = Move(kind, "wide", 5, 4.0)
    base = cover_box((1024, 576), (1280, 720))
    frames = 96
    boxes = np.array([source_box(move.at(i / (frames - 1)), base) for i in range(frames)])
    assert (boxes[:, 0] >= -1e-9).all() and (boxes[:, 2] <= 1024 + 1e-9).all()
    assert (boxes[:, 1] >= -1e-9).all() and (boxes[:, 3] <= 576 + 1e-9).all()
    speed = np.abs(np.diff(boxes, axis=0)).max()
    acceleration = np.abs(np.diff(boxes, n=2, axis=0)).max()
    if kind == "shake":
        # Hand-held sway has momentum; per-frame jitter would accelerate about twice as hard as it moves.
        assert speed > 1 and acceleration < 0.7 * speed
    else:
        # No jitter: edges accelerate by far less than a source pixel per frame squared.
        assert acceleration < 0.35
        assert np.abs(boxes[-1] - boxes[0]).max() > 5  # and it really moves


def test_push_in_zooms_monotonically() -> None:
    move = Move("push_in", "close-up", 1, 3.0)
    zooms = [move.at(i / 71).zoom for i in range(72)]
    assert all(b > a for a, b in itertools.pairwise(zooms))
    assert zooms[0] == pytest.approx(1.0)


def test_cover_box_crops_to_the_target_aspect() -> None:
    assert cover_box((800, 800), (1280, 720)) == pytest.approx((0.0, 175.0, 800.0, 450.0))
    assert cover_box((1600, 600), (800, 600)) == pytest.approx((400.0, 0.0, 800.0, 600.0))


async def test_push_in_really_moves_the_picture(tmp_path: Path) -> None:
    source = textured_image(tmp_path / "s.png")
    result = await KenBurnsEngine().animate(video_request(source, tmp_path / "in.mp4"))
    first = np.asarray(frame_at(result.path, 0)).astype(float)
    last = pixels(result.last_frame_path).astype(float)
    assert np.abs(first - last).mean() > 8
    # Zooming in magnifies: the centre of the last frame matches a smaller central crop of the first.
    assert result.parameters["move"] == "push_in"


async def test_pan_right_slides_the_content_left(tmp_path: Path) -> None:
    source = textured_image(tmp_path / "s.png")
    request = video_request(source, tmp_path / "pan.mp4", motion_prompt="camera pans left to right")
    result = await KenBurnsEngine().animate(request)
    first = np.asarray(frame_at(result.path, 0)).astype(float).mean(axis=(0, 2))
    last = pixels(result.last_frame_path).astype(float).mean(axis=(0, 2))
    shifts = range(-120, 121)
    errors = [np.abs(np.roll(first, -s)[130:190] - last[130:190]).mean() for s in shifts]
    shift = list(shifts)[int(np.argmin(errors))]
    assert shift > 20  # the scene moved left by `shift` px: the camera travelled right


async def test_last_frame_keeps_the_colours(tmp_path: Path) -> None:
    source = textured_image(tmp_path / "s.png")
    request = video_request(source, tmp_path / "c.mp4", width=640, height=360)
    result = await KenBurnsEngine().animate(request)
    with Image.open(source) as image:
        move = Move(result.parameters["move"], request.shot_type, request.seed, request.duration)
        expected = np.asarray(render_frame(image.convert("RGB"), move, (640, 360), 1.0)).astype(float)
    decoded = pixels(result.last_frame_path).astype(float)
    # A continuity chain feeds this PNG into the next shot: no colour drift, only codec noise.
    assert abs((decoded - expected).mean()) < 0.5
    assert np.abs(decoded - expected).mean() < 2.5


async def test_portrait_source_fills_a_landscape_clip(tmp_path: Path) -> None:
    source = textured_image(tmp_path / "tall.png", (300, 600))
    result = await KenBurnsEngine().animate(video_request(source, tmp_path / "p.mp4", duration=0.5))
    last = pixels(result.last_frame_path)
    assert last.shape == (180, 320, 3)
    assert last[:4].mean() > 20 and last[-4:].mean() > 20  # no black bars


async def test_parameters_record_the_move(tmp_path: Path) -> None:
    source = textured_image(tmp_path / "s.png")
    result = await KenBurnsEngine(preset="ultrafast", crf=23).animate(video_request(source, tmp_path / "m.mp4"))
    assert result.parameters["move"] in MOVES
    assert result.parameters["encoder"] == {"codec": "libx264", "preset": "ultrafast", "crf": 23, "pix_fmt": "yuv420p"}
    assert result.parameters["frames"] == result.frames == 12
