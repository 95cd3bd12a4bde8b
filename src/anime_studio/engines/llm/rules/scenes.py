"""Scene-level inference (mood, weather, headings) and the exact breakdown of a Fountain screenplay."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anime_studio.engines.llm.base import ScenePlan, ShotPlan, StoryContext
from anime_studio.engines.llm.fountain import Element, Screenplay
from anime_studio.engines.llm.rules import vocabulary as v
from anime_studio.engines.llm.rules.shots import (
    CharacterIndex,
    Line,
    SceneCast,
    action_shot,
    dialogue_shot,
    establishing_shot,
    first_sentences,
    title_case,
)
from anime_studio.engines.music.moods import FALLBACK_MOOD, find_mood
from anime_studio.engines.video.presets import MOTION_PRESETS

_PREFIX = re.compile(r"^(?:int\.?/ext|i/e|int|ext|est)\.?\s*", re.IGNORECASE)
_SENTENCES = re.compile(r"[^.!?]+[.!?]*")


def infer_mood(text: str, context: StoryContext) -> str:
    """The mood whose keywords occur most in the scene; the story's tone, then 'ambient', when none do."""
    words = v.stems(text)
    scores = {mood: v.hits(words, table) for mood, table in v.MOOD_WORDS.items()}
    best = max(scores.values())
    if best > 0:
        return next(mood for mood, score in scores.items() if score == best)
    return find_mood(f"{context.tone} {context.genre}") or FALLBACK_MOOD


def infer_weather(text: str) -> str:
    """The strongest weather named in a sentence that does not say it is over."""
    present: set[str] = set()
    for sentence in _SENTENCES.findall(text):
        words = v.stems(sentence)
        if v.hits(words, v.WEATHER_ENDED):
            continue
        present |= {name for name, table in v.WEATHER_WORDS.items() if v.hits(words, table)}
    return next((name for name in v.WEATHER_WORDS if name in present), "")


@dataclass(frozen=True)
class Heading:
    location: str
    time_of_day: str
    exterior: bool | None
    continuing: bool


def parse_heading(text: str) -> Heading:
    """``EXT. HARBOR TOWN - NIGHT`` → location 'Harbor Town', time 'night', exterior."""
    prefix = _PREFIX.match(text)
    kind = prefix.group(0).strip().rstrip(".").upper() if prefix else ""
    exterior = None if not kind else kind.startswith(("EXT", "EST"))
    rest = text[prefix.end() :] if prefix else text
    parts = [p.strip() for p in re.split(r"\s+[-\u2013\u2014]\s+", rest) if p.strip()]
    time_of_day, continuing = "", False
    if len(parts) > 1:
        suffix = parts[-1].upper().rstrip(".")
        if suffix in v.HEADING_TIMES or suffix in v.CONTINUING_TIMES:
            parts.pop()
            time_of_day = v.HEADING_TIMES.get(suffix, "")
            continuing = suffix in v.CONTINUING_TIMES
    return Heading(title_case(" - ".join(parts)), time_of_day, exterior, continuing)


@dataclass
class _Draft:
    heading: Heading | None
    synopsis: str = ""
    elements: list[Element] = field(default_factory=list)


def fountain_scenes(screenplay: Screenplay, context: StoryContext, max_scenes: int) -> list[ScenePlan]:
    """One scene per scene heading (and one for anything before the first), in script order."""
    drafts: list[_Draft] = []
    for element in screenplay.elements:
        if element.kind == "scene_heading":
            drafts.append(_Draft(parse_heading(element.text)))
        elif element.kind == "synopsis":
            if drafts and not drafts[-1].synopsis:
                drafts[-1].synopsis = element.text
        elif element.kind in ("action", "dialogue", "lyrics", "centered"):
            if not drafts:
                drafts.append(_Draft(None))
            drafts[-1].elements.append(element)
        # transitions, sections and page breaks shape the page, not the shot list
    index = CharacterIndex(context.characters)
    scenes: list[ScenePlan] = []
    titles: dict[str, int] = {}
    previous_time = ""
    for draft in drafts[:max_scenes]:
        scene = _fountain_scene(draft, index, context, previous_time)
        scene.title = _unique(scene.title, titles)
        previous_time = scene.time_of_day or previous_time
        scenes.append(scene)
    return scenes


def _fountain_scene(draft: _Draft, index: CharacterIndex, context: StoryContext, previous_time: str) -> ScenePlan:
    heading = draft.heading or Heading("", "", None, False)
    time_of_day = heading.time_of_day or (previous_time if heading.continuing else "")
    text = " ".join(_scene_text(e) for e in draft.elements)
    weather = infer_weather(f"{heading.location}. {text}")
    cast = SceneCast(index)
    shots = [establishing_shot(heading.location, time_of_day, weather, exterior=heading.exterior)]
    shots += [shot for element in draft.elements if (shot := _element_shot(element, cast, index))]
    first_action = next((e.text for e in draft.elements if e.kind == "action"), "")
    return ScenePlan(
        title=heading.location or "Opening",
        description=index.normalise(draft.synopsis or first_sentences(first_action)),
        location=heading.location,
        time_of_day=time_of_day,
        weather=weather,
        mood=infer_mood(text, context),
        shots=shots,
    )


def _scene_text(element: Element) -> str:
    return " ".join((element.text, *element.parentheticals))


def _element_shot(element: Element, cast: SceneCast, index: CharacterIndex) -> ShotPlan | None:
    if element.kind == "dialogue":
        speaker = index.resolve(element.character)
        extensions = {e.upper().replace(" ", "") for e in element.extensions}
        line = Line(
            speaker=speaker,
            speaker_name=index.name(speaker) if speaker else title_case(element.character),
            text=element.text,
            cues=element.parentheticals,
            voice_over=bool(extensions & {"V.O.", "VO"}),
            off_screen=bool(extensions & {"O.S.", "OS", "O.C.", "OC", "OFF"}),
            dual=element.dual,
        )
        return dialogue_shot(line, cast) if line.text else None
    if element.kind == "centered":
        if element.text.strip(". ").upper() in ("THE END", "END", "FIN"):
            return None
        return ShotPlan(shot_type="wide", description=f"Title card: {element.text}", duration=3.0,
                        motion_prompt=MOTION_PRESETS["wide"][1])  # fmt: skip
    return action_shot(" ".join(element.text.split()), cast)


def _unique(title: str, seen: dict[str, int]) -> str:
    seen[title] = seen.get(title, 0) + 1
    return title if seen[title] == 1 else f"{title} ({seen[title]})"
