"""The rules engine: the exact breakdown of a Fountain screenplay, prose heuristics, prompts, the assistant."""

from __future__ import annotations

import pytest

from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import ChatMessage, StoryContext
from anime_studio.engines.llm.rules import RulesLlmEngine
from anime_studio.engines.llm.rules.scenes import infer_weather, parse_heading
from anime_studio.engines.video.presets import MOTION_PRESETS
from tests.engines.samples import CHARACTERS, STORY

ENGINE = RulesLlmEngine()

Shot = tuple[str, str, str, str, float, list[str], str | None, str]


def shot(kind: str, angle: str, description: str, motion: str, seconds: float, *cast: str, line: str = "") -> Shot:
    """(shot_type, camera_angle, description, motion_prompt, duration, characters, speaker, dialogue)."""
    return (kind, angle, description, motion, seconds, list(cast), cast[0] if line else None, line)


WIDE_PAN = "camera pans left to right across the wide shot"
GESTURES = "character gestures while talking, slight body movement"
IDLE = "subtle idle sway, character shifts weight"

EXPECTED: list[tuple[tuple[str, ...], list[Shot]]] = [
    (
        ("Harbor Town", "Mira races through the storm to reach the lighthouse.", "Harbor Town", "night", "storm",
         "action"),
        [
            shot("establishing", "high_angle", "Establishing shot of harbor town at night, storm",
                 "gentle aerial view drifting over the scene", 3.0),
            shot("wide", "eye_level", "Rain hammers the empty pier. Paper lanterns sway in the storm.",
                 "gentle wind blowing through the environment", 4.2),
            shot("action", "low_angle", "Mira (17), soaked, runs along the pier toward the lighthouse.",
                 "character sprints forward, running sequence", 3.8, "mira"),
            shot("medium", "low_angle", "Mira Sato speaks, shouting", GESTURES, 2.0, "mira", line="Kenji! Wait!"),
        ],
    ),
    (
        ("Lighthouse", "Kenji (18) kneels beside a dying lantern, cupping its flame.", "Lighthouse", "night", "",
         "melancholy"),
        [
            shot("establishing", "eye_level", "Establishing shot of lighthouse at night",
                 "camera slowly zooms in on the location", 3.0),
            shot("medium", "eye_level", "Kenji (18) kneels beside a dying lantern, cupping its flame.", IDLE, 3.8,
                 "kenji"),
            shot("medium", "eye_level", "Kenji Arai speaks", GESTURES, 2.6, "kenji", line="You shouldn't have come."),
            ("medium", "eye_level", "Mira Sato speaks off-screen; Kenji Arai listens", IDLE, 4.6, ["kenji"], "mira",
             "I wasn't going to let you do this alone."),
            shot("medium", "eye_level", "Mira steps inside, breathing hard.", "character walks forward confidently",
                 2.8, "mira"),
            shot("close-up", "eye_level", "Kenji Arai speaks, softly",
                 "subtle breathing motion, gentle chest rise and fall", 5.4, "kenji",
                 line="If the light goes out, the ships won't find the harbor."),
            shot("medium", "over_the_shoulder", "Mira Sato speaks to Kenji Arai",
                 "two characters face each other in conversation", 3.4, "mira", "kenji",
                 line="Then we keep it burning. Together."),
        ],
    ),
    (
        ("Lighthouse Balcony", "The storm is gone. Pale light spreads across a calm sea.", "Lighthouse Balcony",
         "dawn", "", "peaceful"),
        [
            shot("establishing", "high_angle", "Establishing shot of lighthouse balcony at dawn",
                 "slow pan across the scene, establishing the environment", 3.0),
            shot("wide", "eye_level", "The storm is gone. Pale light spreads across a calm sea.", WIDE_PAN, 4.2),
            shot("wide", "eye_level", "Kenji and Mira sit side by side, watching the ships come home.", WIDE_PAN,
                 4.5, "kenji", "mira"),
            shot("close-up", "eye_level", "Mira Sato speaks, smiling", "character blinks and smiles softly", 2.2,
                 "mira", line="We did it."),
        ],
    ),
]  # fmt: skip


async def test_fountain_screenplay_breaks_down_exactly() -> None:
    scenes = await ENGINE.breakdown(STORY)
    actual = [
        (
            (s.title, s.description, s.location, s.time_of_day, s.weather, s.mood),
            [
                (
                    h.shot_type,
                    h.camera_angle,
                    h.description,
                    h.motion_prompt,
                    h.duration,
                    h.characters,
                    h.dialogue_character,
                    h.dialogue_text,
                )
                for h in s.shots
            ],
        )
        for s in scenes
    ]
    assert actual == EXPECTED


@pytest.mark.parametrize("story", [STORY, STORY.model_copy(update={"script": ""})], ids=["script", "summary"])
async def test_motion_prompts_come_from_the_presets(story: StoryContext) -> None:
    presets = {p for group in MOTION_PRESETS.values() for p in group}
    shots = [shot for scene in await ENGINE.breakdown(story) for shot in scene.shots]
    assert shots and all(shot.motion_prompt in presets for shot in shots)


async def test_fountain_breakdown_keeps_the_first_scenes() -> None:
    scenes = await ENGINE.breakdown(STORY, max_scenes=2)
    assert [s.title for s in scenes] == ["Harbor Town", "Lighthouse"]


async def test_cues_resolve_by_full_or_first_name_in_any_case_and_strangers_stay_unnamed() -> None:
    script = "INT. CAFE - DAY\n\n@mira sato\nHi.\n\nKENJI (CONT'D)\nHey.\n\nWAITER\nMenu?\n"
    (scene,) = await ENGINE.breakdown(STORY.model_copy(update={"script": script}))
    spoken = [(s.dialogue_character, s.description) for s in scene.shots if s.dialogue_text]
    assert spoken == [
        ("mira", "Mira Sato speaks"),
        ("kenji", "Kenji Arai speaks to Mira Sato"),
        (None, "Waiter speaks"),
    ]


async def test_dual_dialogue_frames_both_speakers() -> None:
    script = "INT. ROOM - NIGHT\n\nMIRA\nNow!\n\nKENJI ^\nNow!\n"
    (scene,) = await ENGINE.breakdown(STORY.model_copy(update={"script": script}))
    assert scene.shots[-1].characters == ["kenji", "mira"]


async def test_voice_over_whispers_and_tears_get_their_own_framing() -> None:
    script = (
        "EXT. FIELD - SUNSET\n\nMIRA (V.O.)\nI remember this place.\n\nKENJI\n(whispering)\nDon't move.\n\n"
        "MIRA\n(crying)\nI'm sorry.\n"
    )
    (scene,) = await ENGINE.breakdown(STORY.model_copy(update={"script": script}))
    framing = [(s.shot_type, s.motion_prompt, s.characters) for s in scene.shots[1:]]
    assert framing == [
        ("wide", "camera pans left to right across the wide shot", []),
        ("extreme_close-up", "lips move as if speaking quietly", ["kenji"]),
        ("extreme_close-up", "a single tear rolls down the cheek", ["mira"]),
    ]
    assert scene.time_of_day == "sunset"


@pytest.mark.parametrize(
    ("heading", "location", "time", "exterior"),
    [
        ("EXT. TOKYO - SHIBUYA CROSSING - NIGHT", "Tokyo - Shibuya Crossing", "night", True),
        ("INT. MIRA'S APARTMENT - DAY", "Mira's Apartment", "midday", False),
        ("I/E. TRAIN - DUSK", "Train", "sunset", None),
        ("EST. CASTLE", "Castle", "", True),
        ("INT. LAB - MOMENTS LATER", "Lab", "", False),
    ],
)
def test_heading_parts(heading: str, location: str, time: str, exterior: bool | None) -> None:
    parsed = parse_heading(heading)
    assert (parsed.location, parsed.time_of_day) == (location, time)
    if heading.startswith(("EXT", "EST", "INT")):
        assert parsed.exterior is exterior


@pytest.mark.parametrize(
    ("text", "weather"),
    [
        ("Snow falls on the rooftops.", "snow"),
        ("Thunder. Rain lashes the glass.", "storm"),
        ("A thick fog rolls in.", "fog"),
        ("The rain has stopped. Birds sing.", ""),
        ("A quiet kitchen.", ""),
    ],
)
def test_weather_from_keywords(text: str, weather: str) -> None:
    assert infer_weather(text) == weather


async def test_prose_scenes_from_chapter_markers_with_quoted_dialogue() -> None:
    story = (
        "Chapter 1: The Letter\n\nAt dawn, Mira found a letter at the old shrine. She read it twice.\n\n"
        '"Who left this?" she whispered.\n\nChapter 2: Rivals\n\nThat night Kenji waited on the school rooftop.\n\n'
        '"You\'re late," Kenji said. Mira laughed. "I\'m always late."\n'
    )
    scenes = await ENGINE.breakdown(StoryContext(project_name="P", script=story, characters=CHARACTERS))
    assert [(s.title, s.location, s.time_of_day) for s in scenes] == [
        ("The Letter", "Old Shrine", "dawn"),
        ("Rivals", "School Rooftop", "night"),
    ]
    spoken = [
        (s.dialogue_character, s.dialogue_text, s.shot_type)
        for s in scenes[0].shots + scenes[1].shots
        if s.dialogue_text
    ]
    assert spoken == [
        ("mira", "Who left this?", "extreme_close-up"),
        ("kenji", "You're late,", "medium"),
        ("mira", "I'm always late.", "medium"),
    ]
    assert all(s.shots[0].shot_type == "establishing" for s in scenes)


async def test_prose_paragraphs_merge_to_fit_max_scenes() -> None:
    story = "\n\n".join(f"Paragraph {i}: Mira walks through the city at night." for i in range(10))
    scenes = await ENGINE.breakdown(StoryContext(project_name="P", script=story, characters=CHARACTERS), max_scenes=3)
    assert len(scenes) == 3
    assert sum(s.description.count("Paragraph") for s in scenes) >= 3


async def test_summary_alone_becomes_scenes_of_two_sentences() -> None:
    summary = (
        "Mira, a shy shrine maiden, finds a mysterious letter at dawn. She shows it to Kenji at school. "
        "Together they follow its clues into the forest at night. A masked swordsman attacks them."
    )
    scenes = await ENGINE.breakdown(StoryContext(project_name="P", summary=summary, characters=CHARACTERS))
    assert [(s.title, s.location, s.time_of_day, s.mood) for s in scenes] == [
        ("School", "School", "dawn", "tense"),
        ("Forest", "Forest", "night", "action"),
    ]
    assert scenes[1].shots[-1].shot_type == "action"


async def test_invalid_max_scenes_is_refused() -> None:
    with pytest.raises(EngineError, match="max_scenes"):
        await ENGINE.breakdown(STORY, max_scenes=0)


async def test_prompt_enhancement_adds_context_without_duplicates() -> None:
    enhanced = await ENGINE.enhance_prompt("mira on the pier at night, red scarf, close-up", context=STORY)
    assert enhanced == (
        "mira on the pier at night, red scarf, close-up, 1girl, yellow raincoat, soft watercolor anime, "
        "soft natural light, pastel colors, moonlight, cool blue tones, detailed face, expressive eyes, "
        "shallow depth of field, masterpiece, best quality, highly detailed"
    )


async def test_prompt_enhancement_without_context_and_of_nothing() -> None:
    assert await ENGINE.enhance_prompt("a cat on a roof") == (
        "a cat on a roof, anime style, rule of thirds composition, cinematic framing, masterpiece, best quality, "
        "highly detailed"
    )
    with pytest.raises(EngineError, match="empty"):
        await ENGINE.enhance_prompt("  , ")


async def _ask(question: str, context: StoryContext | None = STORY) -> str:
    return await ENGINE.chat(
        [ChatMessage(role="system", content="be nice"), ChatMessage(role="user", content=question)], context=context
    )


async def test_assistant_answers_from_the_context() -> None:
    cast = await _ask("Who are the characters in this project?")
    assert "Mira" in cast and "Kenji" in cast
    assert await _ask("tell me about kenji") == "Kenji Arai (lighthouse keeper) — design: 1boy, navy sweater."
    assert "Mira races a storm" in await _ask("What is the plot?")
    assert await _ask("how many characters are there?") == "The project has 2 character(s)."
    assert (
        await _ask("How many scenes does the script have?")
        == "The story breaks down into 3 scene(s) with 15 shot(s) in total."
    )
    assert "1. Harbor Town — night, action, 4 shots" in await _ask("list the scenes")
    assert "Art style: soft watercolor anime" in await _ask("what is the art style?")


async def test_assistant_suggests_prompts_with_the_enhancer() -> None:
    answer = await _ask("Suggest a prompt for Mira running through the rain at night")
    assert answer.startswith("Here is an enhanced prompt:\n\nMira running through the rain at night, 1girl")
    assert "motion blur" in answer


async def test_assistant_is_honest_about_what_it_cannot_do() -> None:
    answer = await _ask("Write me a poem about the sea")
    assert "can't answer that" in answer and "ANIME_STUDIO_LLM_ENGINE=ollama" in answer
    assert "No project context" in await _ask("who is the villain?", context=None)


def test_draft_keeps_the_species_words_and_writes_colours_the_studio_reads() -> None:
    from anime_studio.engines.colors import parse_color
    from anime_studio.engines.llm.rules.appearance import describe

    fox = describe("Kitsu", "nine-tailed orange fox spirit, cream chest, golden eyes, amber tail tips")
    assert fox.species == "nine-tailed fox spirit (NOT human)"
    assert fox.key_colors == {"fur": "orange", "chest": "cream", "eyes": "golden", "tips": "amber"}
    assert all(parse_color(value) is not None for value in fox.key_colors.values())
    assert "single tail" in fox.common_errors
    assert not any("hair" in error for error in fox.common_errors)


def test_draft_reads_each_colour_with_its_own_part() -> None:
    from anime_studio.engines.llm.rules.appearance import describe

    girl = describe("Hana", "1girl, short black bob hair, indigo kimono with red obi, light blue eyes")
    assert girl.species == "human"
    assert girl.key_colors == {"hair": "black", "kimono": "indigo", "obi": "red", "eyes": "light blue"}
    assert girl.common_errors == ["long hair"]  # the one opposite the design names, nothing invented
