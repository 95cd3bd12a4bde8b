"""The Fountain parser against the syntax guide's cases."""

from __future__ import annotations

import re

from anime_studio.engines.llm.fountain import clean, looks_like_fountain, parse
from tests.engines.samples import SCRIPT


def kinds(text: str) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in parse(text).elements]


def test_title_page_with_indented_values() -> None:
    screenplay = parse(
        "Title: **BRICK & STEEL**\nCredit: Written by\nContact:\n    Next Level\n    Burbank\n\nINT. ROOM - DAY\n\nHi."
    )
    assert screenplay.title_page == {"title": "BRICK & STEEL", "credit": "Written by", "contact": "Next Level\nBurbank"}
    assert kinds("Title: X\n\nINT. ROOM - DAY\n\nHi.")[0] == ("scene_heading", "INT. ROOM - DAY")


def test_scene_headings_plain_forced_and_numbered() -> None:
    text = "EXT. BRICK'S PATIO - DAY\n\n.SNIPER SCOPE POV\n\nint/ext. car - night #12A#\n\nINT BATHROOM\n\nAction."
    elements = parse(text).elements
    assert [(e.kind, e.text, e.scene_number) for e in elements[:4]] == [
        ("scene_heading", "EXT. BRICK'S PATIO - DAY", ""),
        ("scene_heading", "SNIPER SCOPE POV", ""),
        ("scene_heading", "int/ext. car - night", "12A"),
        ("scene_heading", "INT BATHROOM", ""),
    ]


def test_a_heading_needs_blank_lines_around_it() -> None:
    assert kinds("Steel walks in.\nINT. HOUSE - DAY\nHe sits.")[0][0] == "action"
    assert kinds("INTERIOR DESIGN is his passion.")[0][0] == "action"


def test_dialogue_with_extensions_parentheticals_and_dual() -> None:
    text = "BRICK (V.O.)\n(quietly)\nScrew retirement.\n(beat)\nLet's go.\n\nSTEEL ^\nNo.\n\n@McCLANE\nYippee ki-yay."
    elements = parse(text).elements
    brick, steel, mcclane = elements
    assert (brick.character, brick.extensions, brick.parentheticals) == ("BRICK", ("V.O.",), ("quietly", "beat"))
    assert brick.text == "Screw retirement. Let's go."
    assert (steel.character, steel.dual) == ("STEEL", True)
    assert (mcclane.kind, mcclane.character, mcclane.text) == ("dialogue", "McCLANE", "Yippee ki-yay.")


def test_two_spaces_keep_a_blank_line_inside_dialogue() -> None:
    (element,) = parse("DEALER\nTen.\n  \nTwenty.").elements
    assert element.text == "Ten. Twenty."


def test_an_upper_case_line_followed_by_a_blank_is_action_not_a_cue() -> None:
    assert kinds("BOOM.\n\nThe wall falls.") == [("action", "BOOM."), ("action", "The wall falls.")]


def test_transitions_plain_and_forced_and_centered_text() -> None:
    text = "He leaves.\n\nCUT TO:\n\nINT. CAR - DAY\n\n> Burn to White.\n\n>THE END<"
    assert kinds(text) == [
        ("action", "He leaves."),
        ("transition", "CUT TO:"),
        ("scene_heading", "INT. CAR - DAY"),
        ("transition", "Burn to White."),
        ("centered", "THE END"),
    ]


def test_notes_and_boneyard_are_removed() -> None:
    text = "/* cut:\nINT. OLD - DAY\n*/\nINT. NEW - DAY\n\nHe waits. [[fix this]]\n\nMIRA\n[[loud?]]\nHello.\n"
    assert kinds(text) == [("scene_heading", "INT. NEW - DAY"), ("action", "He waits."), ("dialogue", "Hello.")]


def test_sections_synopses_lyrics_page_breaks_and_forced_action() -> None:
    text = (
        "# ACT ONE\n\n= The heist begins.\n\n~Willy Wonka! The amazing chocolatier!\n\n===\n\n"
        "!SCANNING THE AISLES...\nNothing."
    )
    elements = parse(text).elements
    assert [(e.kind, e.text) for e in elements] == [
        ("section", "ACT ONE"),
        ("synopsis", "The heist begins."),
        ("lyrics", "Willy Wonka! The amazing chocolatier!"),
        ("page_break", ""),
        ("action", "SCANNING THE AISLES...\nNothing."),
    ]
    assert elements[0].depth == 1


def test_emphasis_markers_are_stripped() -> None:
    assert clean("*italics* and **bold** and ***both*** and _underline_ and \\*literal\\*") == (
        "italics and bold and both and underline and *literal*"
    )


def test_screenplays_are_told_from_prose() -> None:
    assert looks_like_fountain("INT. HOUSE - DAY\n\nShe waits.")
    assert looks_like_fountain("MIRA\nHello.\n\nKENJI\nHi.")
    assert not looks_like_fountain("Once upon a time a girl lived by the sea.\n\nOne day she found a letter.")
    assert not looks_like_fountain("CHAPTER ONE\n\nThe rain had not stopped for days.")


def test_the_sample_script_is_a_real_fountain_document() -> None:
    assert re.search(r"^EXT\. .+ - NIGHT$", SCRIPT, re.MULTILINE) and "DISSOLVE TO:" in SCRIPT
    assert looks_like_fountain(SCRIPT)
