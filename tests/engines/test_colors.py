"""The one colour vocabulary: CSS/X11 names, art words, shades, hex and rgb(), and nothing invented."""

from __future__ import annotations

import pytest
from httpx import AsyncClient

from anime_studio.engines.colors import is_color_word, parse_color
from tests.factories import API, Studio


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("cream", (255, 248, 214)),
        ("Golden", (232, 170, 40)),
        ("amber", (255, 191, 0)),
        ("ivory", (255, 255, 240)),
        ("navy", (0, 0, 128)),
        ("teal", (0, 128, 128)),
        ("silver", (192, 192, 192)),
        ("light blue", (173, 216, 230)),
        ("dark slate blue", (72, 61, 139)),
        ("#ff3366", (255, 51, 102)),
        ("rgb(10, 20, 30)", (10, 20, 30)),
        ("dusty rose", (255, 0, 127)),
        ("golden orange", (255, 165, 0)),
        ("reddish", (255, 0, 0)),
        ("bluish", (0, 0, 255)),
    ],
)
def test_reads_css_and_art_colour_words(text: str, expected: tuple[int, int, int]) -> None:
    assert parse_color(text) == expected


def test_shade_words_shade_the_colour() -> None:
    red = parse_color("red")
    pale, deep = parse_color("pale red"), parse_color("deep red")
    assert red is not None and pale is not None and deep is not None
    assert sum(pale) > sum(red) > sum(deep)


@pytest.mark.parametrize("text", ["", "fur", "sunset vibes", "dark", "nine-tailed"])
def test_words_that_name_no_colour_are_not_read_as_one(text: str) -> None:
    assert parse_color(text) is None


def test_colour_words_are_told_from_part_words() -> None:
    assert all(is_color_word(w) for w in ("cream", "golden", "amber", "indigo", "teal", "orangey"))
    assert not any(is_color_word(w) for w in ("fur", "kimono", "hair", "fox", "light", "with"))


async def test_the_ui_gets_the_art_words_to_paint_swatches(studio: Studio, client: AsyncClient) -> None:
    words = (await studio.reviewer.get(f"{API}/colors")).json()["words"]
    assert words["cream"] == "#fff8d6" and words["golden"] == "#e8aa28" and "red" not in words  # CSS: the browser's
    assert (await client.get(f"{API}/colors")).status_code == 401
