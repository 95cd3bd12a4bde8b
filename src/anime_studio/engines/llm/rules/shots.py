"""Shot building shared by the Fountain and prose breakdowns: shot type, angle, motion, duration, cast."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from anime_studio.engines.llm.base import CharacterBrief, ShotPlan, ShotType
from anime_studio.engines.llm.rules import vocabulary as v
from anime_studio.engines.video.presets import MOTION_PRESETS

_PRONOUN = re.compile(r"\b(he|she|they|him|her|his|them|their)\b", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
ESTABLISHING_SECONDS = 3.0


class CharacterIndex:
    """Finds the project's characters by name in cues and text (full name, or an unambiguous first/last name)."""

    def __init__(self, characters: list[CharacterBrief]) -> None:
        self._names = {c.slug: c.name for c in characters}
        aliases: dict[str, set[str]] = {}
        for character in characters:
            tokens = character.name.split()
            candidates = {character.name.strip()}
            if len(tokens) > 1:
                candidates |= {tokens[0], tokens[-1]}
            for alias in candidates:
                if len(alias) >= 2:
                    aliases.setdefault(alias.lower(), set()).add(character.slug)
        full = {c.name.strip().lower(): c.slug for c in characters}
        self._aliases = {a: next(iter(s)) for a, s in aliases.items() if len(s) == 1 or a in full}
        self._aliases.update(full)
        ordered = sorted(self._aliases, key=len, reverse=True)
        self._patterns = [
            (re.compile(rf"(?<![\w']){_cased(alias)}(?![\w-])"), self._aliases[alias]) for alias in ordered
        ]

    def resolve(self, cue: str) -> str | None:
        """The slug a character cue (``MIRA``, ``Mira Sato``) refers to."""
        return self._aliases.get(" ".join(cue.split()).lower())

    def named_in(self, text: str) -> list[str]:
        """Slugs of the characters named in ``text``, in order of first mention."""
        found: list[tuple[int, str]] = []
        for pattern, slug in self._patterns:
            match = pattern.search(text)
            if match and slug not in {s for _, s in found}:
                found.append((match.start(), slug))
        return [slug for _, slug in sorted(found)]

    def name(self, slug: str) -> str:
        return self._names.get(slug, slug)

    def normalise(self, text: str) -> str:
        """Screenplay capitals for a first appearance (``MIRA (17) runs``) back to the name as spelled."""
        for name in self._names.values():
            for token in sorted({name, *name.split()}, key=len, reverse=True):
                text = re.sub(rf"(?<![\w']){re.escape(token.upper())}(?![\w'])", token, text)
        return text


def _cased(alias: str) -> str:
    """Match a name written Capitalised or in CAPITALS (not lower case: 'rain' the weather is not 'Rain')."""
    words = alias.split()
    title = r"\s+".join(re.escape(w[:1].upper() + w[1:]) for w in words)
    upper = r"\s+".join(re.escape(w.upper()) for w in words)
    return f"(?:{title}|{upper})"


@dataclass
class SceneCast:
    """Who has appeared in the scene so far, for listeners and pronouns."""

    index: CharacterIndex
    present: list[str] = field(default_factory=list)

    def see(self, slugs: list[str]) -> None:
        for slug in slugs:
            if slug in self.present:
                self.present.remove(slug)
            self.present.append(slug)

    def listener(self, speaker: str | None) -> str | None:
        """The most recently seen character other than the speaker."""
        return next((s for s in reversed(self.present) if s != speaker), None)

    def in_text(self, text: str) -> list[str]:
        """Characters named in ``text``; a bare pronoun means the last character seen."""
        named = self.index.named_in(text)
        if not named and self.present and _PRONOUN.search(text):
            named = [self.present[-1]]
        self.see(named)
        return named


def establishing_shot(location: str, time_of_day: str, weather: str, *, exterior: bool | None) -> ShotPlan:
    """The opening shot of every scene: the place, its light and weather, nobody in particular."""
    place = location.lower() or "the setting"
    details = ", ".join(x for x in (time_of_day and f"at {time_of_day}", weather) if x)
    description = f"Establishing shot of {place}" + (f" {details}" if details else "")
    return ShotPlan(
        shot_type="establishing",
        camera_angle="high_angle" if exterior else "eye_level",
        description=description,
        motion_prompt=motion("establishing", v.stems(location), default=0, outdoors=bool(exterior)),
        duration=ESTABLISHING_SECONDS,
    )


def action_shot(text: str, cast: SceneCast) -> ShotPlan:
    """A shot for an action paragraph or narrative sentence."""
    words = v.stems(text)
    characters = cast.in_text(text)
    lowered = text.lower()
    shot_type: ShotType
    angle = "eye_level"
    if "close on" in lowered or "extreme close" in lowered or v.hits(words, v.EXTREME_CLOSE_WORDS):
        shot_type = "extreme_close-up"
    elif v.hits(words, v.ACTION_VERBS):
        shot_type, angle = "action", "dutch" if v.hits(words, v.CHAOS_WORDS) else "low_angle"
    elif not characters or len(characters) >= 2 or v.hits(words, v.WIDE_WORDS):
        shot_type = "wide"
    elif v.hits(words, v.CLOSE_UP_WORDS):
        shot_type = "close-up"
    else:
        shot_type = "medium"
    defaults = {"wide": 2, "medium": 2, "close-up": 0, "extreme_close-up": 3, "action": 1}
    return ShotPlan(
        shot_type=shot_type,
        camera_angle=angle,
        description=cast.index.normalise(text),
        motion_prompt=motion(shot_type, words, default=defaults[shot_type]),
        duration=_seconds(1.5 + len(words) / 4.0),
        characters=characters,
    )


@dataclass(frozen=True)
class Line:
    """A line of dialogue, from a Fountain block or a quoted sentence."""

    speaker: str | None
    speaker_name: str
    text: str
    cues: tuple[str, ...] = ()
    """Parentheticals or speech verbs: 'softly', 'shouting', 'whispered'."""
    voice_over: bool = False
    off_screen: bool = False
    dual: bool = False


def dialogue_shot(line: Line, cast: SceneCast) -> ShotPlan:
    """One shot per line: framing from the line's delivery and feeling, the speaker (and listener) in frame."""
    cues, words = v.stems(" ".join(line.cues)), v.stems(line.text)
    listener = cast.listener(line.speaker)
    if line.speaker and not line.off_screen and not line.voice_over:
        cast.see([line.speaker])
    manner = f", {', '.join(line.cues)}" if line.cues else ""
    who = line.speaker_name
    if line.voice_over:
        return _spoken(
            line, "wide", "eye_level", f"Voice-over from {who}{manner}", motion("wide", words, default=2), []
        )
    if line.off_screen:
        heard = f"; {cast.index.name(listener)} listens" if listener else ""
        framed = [listener] if listener else []
        return _spoken(line, "medium", "eye_level", f"{who} speaks off-screen{manner}{heard}", MEDIUM_IDLE, framed)
    shot_type, angle, preset = _delivery(cues, words, line.text)
    if (shot_type == "medium" or line.dual) and listener and line.speaker:
        description = f"{who} speaks to {cast.index.name(listener)}{manner}"
        return _spoken(line, "medium", "over_the_shoulder", description, TWO_SHOT, [line.speaker, listener])
    return _spoken(line, shot_type, angle, f"{who} speaks{manner}", preset, [line.speaker] if line.speaker else [])


MEDIUM_IDLE = MOTION_PRESETS["medium"][2]
TWO_SHOT = MOTION_PRESETS["medium"][4]


def _spoken(
    line: Line, shot_type: ShotType, angle: str, description: str, motion_prompt: str, characters: list[str]
) -> ShotPlan:
    return ShotPlan(
        shot_type=shot_type,
        camera_angle=angle,
        description=description,
        motion_prompt=motion_prompt,
        duration=_seconds(len(line.text.split()) / 2.5 + 1.0),
        characters=characters,
        dialogue_character=line.speaker,
        dialogue_text=line.text,
    )


def _delivery(cues: list[str], words: list[str], text: str) -> tuple[ShotType, str, str]:
    """(shot type, camera angle, motion) from how a line is said and what it says."""
    if v.hits(cues, v.TEAR_CUES):
        return "extreme_close-up", "eye_level", MOTION_PRESETS["extreme_close-up"][1]
    if v.hits(cues, v.WHISPER_CUES - {v.stem("softly")}):
        return "extreme_close-up", "eye_level", MOTION_PRESETS["extreme_close-up"][2]
    if v.hits(cues, v.SHOUT_CUES) or (text.endswith("!") and v.hits(words, v.SHOUT_CUES | v.ACTION_VERBS)):
        return "medium", "low_angle", MOTION_PRESETS["medium"][1]
    if v.hits(cues, v.SMILE_CUES):
        return "close-up", "eye_level", MOTION_PRESETS["close-up"][1]
    if v.hits(cues, v.WHISPER_CUES) or v.hits(words, v.EMOTIONAL_LINE_WORDS):
        return "close-up", "eye_level", motion("close-up", cues + words, default=0)
    return "medium", "eye_level", MOTION_PRESETS["medium"][1]


def motion(shot_type: str, words: list[str], *, default: int, outdoors: bool = False) -> str:
    """The preset of the first keyword group present in ``words``; ``default`` otherwise."""
    presets = MOTION_PRESETS[shot_type]
    for table, index in v.MOTION_CHOICES.get(shot_type, []):
        if outdoors and table is v.INTERIORS:
            continue  # 'zoom in on the location' suits a room, not an exterior of the same building
        if v.hits(words, table):
            return presets[index]
    return presets[default]


def _seconds(value: float) -> float:
    return round(min(8.0, max(2.0, value)), 1)


def first_sentences(text: str, *, words: int = 30) -> str:
    """The opening sentence(s) of ``text``, at most about ``words`` words."""
    picked: list[str] = []
    for sentence in _SENTENCE_END.split(" ".join(text.split())):
        if picked and len(" ".join([*picked, sentence]).split()) > words:
            break
        picked.append(sentence)
    return " ".join(picked)


def title_case(text: str) -> str:
    """``MIRA'S APARTMENT`` → ``Mira's Apartment`` (str.title would give ``Mira'S``)."""
    return " ".join(w[:1].upper() + w[1:].lower() for w in text.split())
