"""Breakdown of free story text or a bare summary: scenes from markers or paragraphs, shots from sentences."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from anime_studio.engines.llm.base import ScenePlan, ShotPlan, StoryContext
from anime_studio.engines.llm.rules import vocabulary as v
from anime_studio.engines.llm.rules.scenes import infer_mood, infer_weather
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

MAX_SHOTS = 8
_MARKER = re.compile(
    r"^\s*(?:#+\s*)?(?:scene|chapter|part|act)\b\s*(?:[0-9]+|[ivxlc]+\b|one|two|three|four|five|six|seven|eight|nine|ten)?"
    r"\s*[:.\-\u2013\u2014]?\s*(?P<title>.*)$",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?\u2026]+(?:[.!?\u2026]+[\"\u201d\u2019')\]]*|$)")
_QUOTE = re.compile(r"[\"“]([^\"”]+)[\"”]")
_DELIVERY_VERBS = v.table("whisper shout yell cry murmur mutter laugh sob scream hiss snap breathe")
_LOCATION_NOUNS = (
    "school|classroom|rooftop|roof|forest|woods|city|street|alley|shop|store|station|platform|temple|shrine|castle|"
    "palace|harbor|harbour|port|pier|dock|beach|shore|house|home|room|bedroom|kitchen|cafe|café|restaurant|bar|park|"
    "garden|village|town|mountain|hill|river|lake|sea|ocean|library|office|hospital|bridge|market|ship|train|tower|"
    "field|lab|laboratory|gym|arena|stadium|hall|corridor|hallway|cave|desert|island|lighthouse|church|graveyard|"
    "cemetery|apartment|balcony|courtyard|dojo|battlefield|valley|cliff|meadow|plaza|square|subway|rooftops|academy"
)
_LOCATION = re.compile(
    rf"\b(?:in|at|inside|outside|on|into|onto|near|across|through|toward|towards|to)\s+(?:(?:the|a|an|her|his|their)\s+)?"
    rf"((?:(?!(?:the|a|an|his|her|their|and|or|at|in|on|to|of|into|by|with|from|near)\s)[a-z][a-z'\-]*\s+){{0,2}}(?:{_LOCATION_NOUNS}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Block:
    title: str
    text: str


def prose_scenes(text: str, context: StoryContext, max_scenes: int) -> list[ScenePlan]:
    """Scenes from 'Scene/Chapter' markers, else paragraphs, else pairs of sentences; merged to ``max_scenes``."""
    blocks = _merge(_blocks(text), max_scenes)
    index = CharacterIndex(context.characters)
    scenes: list[ScenePlan] = []
    location, time_of_day, titles = "", "", set[str]()
    for block in blocks:
        location = find_location(block.text) or location
        time_of_day = find_time(block.text) or time_of_day
        scene = _scene(block, index, context, location, time_of_day)
        if scene.title in titles:
            scene.title = f"{scene.title} ({sum(1 for t in titles if t.startswith(scene.title)) + 1})"
        titles.add(scene.title)
        scenes.append(scene)
    return scenes


def _blocks(text: str) -> list[_Block]:
    lines = text.replace("\r\n", "\n").split("\n")
    if any(_MARKER.match(line) and len(line.split()) <= 12 for line in lines):
        return _by_markers(lines)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    if len(paragraphs) > 1:
        return [_Block("", p) for p in paragraphs]
    sentences = split_sentences(paragraphs[0]) if paragraphs else []
    return [_Block("", " ".join(sentences[i : i + 2])) for i in range(0, len(sentences), 2)]


def _by_markers(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    title, body = "", list[str]()
    for line in lines:
        match = _MARKER.match(line)
        if match and len(line.split()) <= 12:
            if " ".join(body).strip():
                blocks.append(_Block(title, " ".join(" ".join(body).split())))
            title, body = match.group("title").strip(" :.-#\u2013\u2014"), []
        else:
            body.append(line)
    if " ".join(body).strip():
        blocks.append(_Block(title, " ".join(" ".join(body).split())))
    return blocks


def _merge(blocks: list[_Block], limit: int) -> list[_Block]:
    """Join neighbouring blocks evenly so the whole story fits in ``limit`` scenes."""
    if len(blocks) <= limit:
        return blocks
    size = math.ceil(len(blocks) / limit)
    return [
        _Block(next((b.title for b in group if b.title), ""), " ".join(b.text for b in group))
        for group in (blocks[i : i + size] for i in range(0, len(blocks), size))
    ]


def split_sentences(text: str) -> list[str]:
    """Sentences, keeping a quotation and its attribution ('"Wait!" she cried.') together."""
    pieces = [p.strip() for p in _SENTENCE.findall(" ".join(text.split())) if p.strip()]
    sentences: list[str] = []
    for piece in pieces:
        if sentences and (piece[:1].islower() or _open_quote(sentences[-1])):
            sentences[-1] = f"{sentences[-1]} {piece}"
        else:
            sentences.append(piece)
    return sentences


def _open_quote(sentence: str) -> bool:
    return (sentence.count('"') % 2 == 1) or sentence.count("“") > sentence.count("”")


def find_location(text: str) -> str:
    """The first place named after a preposition ('at the old shrine' → 'Old Shrine')."""
    match = _LOCATION.search(text)
    return title_case(match.group(1)) if match else ""


def find_time(text: str) -> str:
    """The first time-of-day word in ``text``."""
    return next((v.PROSE_TIMES[w] for w in v.stems(text) if w in v.PROSE_TIMES), "")


def _scene(block: _Block, index: CharacterIndex, context: StoryContext, location: str, time_of_day: str) -> ScenePlan:
    weather = infer_weather(block.text)
    cast = SceneCast(index)
    shots = [establishing_shot(location, time_of_day, weather, exterior=None)]
    shots += _shots(split_sentences(block.text), cast, index)
    title = block.title or location or _headline(block.text)
    return ScenePlan(
        title=title,
        description=first_sentences(block.text),
        location=location,
        time_of_day=time_of_day,
        weather=weather,
        mood=infer_mood(block.text, context),
        shots=shots,
    )


def _shots(sentences: list[str], cast: SceneCast, index: CharacterIndex) -> list[ShotPlan]:
    """Quoted speech becomes dialogue shots; narration is grouped so the scene keeps at most ``MAX_SHOTS``."""
    spoken = sum(1 for s in sentences if _QUOTE.search(s))
    narration = len(sentences) - spoken
    group = max(1, math.ceil(narration / max(1, MAX_SHOTS - 1 - spoken)))
    shots: list[ShotPlan] = []
    pending: list[str] = []
    subject: str | None = None  # who the narration was last about: the likely speaker of a bare quote
    for sentence in sentences:
        if _QUOTE.search(sentence):
            if pending:
                shots.append(action_shot(" ".join(pending), cast))
                pending = []
            line = _line(sentence, index, subject)
            subject = line.speaker or subject
            shots.append(dialogue_shot(line, cast))
            continue
        subject = next(iter(index.named_in(sentence)), subject)
        pending.append(sentence)
        if len(pending) >= group:
            shots.append(action_shot(" ".join(pending), cast))
            pending = []
    if pending:
        shots.append(action_shot(" ".join(pending), cast))
    return shots


def _line(sentence: str, index: CharacterIndex, subject: str | None) -> Line:
    """The quoted words, attributed to the character named around them, else to the narration's subject."""
    spoken = " ".join(q.strip() for q in _QUOTE.findall(sentence))
    around = _QUOTE.sub(" ", sentence)
    named = index.named_in(around)
    speaker = named[0] if named else subject
    cues = tuple(w.lower() for w in re.findall(r"[A-Za-z]+", around) if v.stem(w) in _DELIVERY_VERBS)
    return Line(speaker=speaker, speaker_name=index.name(speaker) if speaker else "Someone", text=spoken, cues=cues)


def _headline(text: str) -> str:
    """A short title from the first sentence: its first words, appositives and trailing small words dropped."""
    sentence = re.sub(r",[^,]*,", "", first_sentences(text, words=8))
    words = re.findall(r"[A-Za-z0-9']+", sentence)[:6]
    while words and words[-1].lower() in _SMALL_WORDS:
        words.pop()
    if not words:
        return "Untitled Scene"
    return " ".join(w if i and w.lower() in _SMALL_WORDS else w[:1].upper() + w[1:] for i, w in enumerate(words))


_SMALL_WORDS = frozenset(
    ["a", "an", "the", "at", "in", "on", "of", "to", "and", "or", "but", "for", "with", "by", "from", "into", "as"]
)
