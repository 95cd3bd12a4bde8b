"""Which background a location gets: its first place word, unless it says it is inside."""

from __future__ import annotations

import pytest

from anime_studio.engines.image.storyboard.stage import resolve_setting


@pytest.mark.parametrize(
    ("location", "kind"),
    [
        ("harbour street, post office, paper lanterns", "harbour"),
        ("post office on the harbour street", "interior"),
        ("lighthouse interior, spiral stairs", "interior"),
        ("cliff road to the lighthouse by the sea", "mountain"),
        ("Kiriyama classroom", "classroom"),
        ("", "field"),
    ],
)
def test_first_place_word_wins(location: str, kind: str) -> None:
    assert resolve_setting(location).kind == kind


def test_prompt_is_used_when_the_location_names_no_place() -> None:
    assert resolve_setting("somewhere quiet", "a girl walks along the beach").kind == "beach"
