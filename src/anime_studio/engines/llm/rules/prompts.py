"""Template prompt enhancement: keep the user's prompt verbatim, append what the context adds."""

from __future__ import annotations

import re

from anime_studio.engines.base import EngineError
from anime_studio.engines.llm.base import StoryContext
from anime_studio.engines.llm.rules import vocabulary as v
from anime_studio.engines.llm.rules.shots import CharacterIndex
from anime_studio.engines.music.moods import find_mood

MAX_PROMPT_CHARS = 4000


def enhance(prompt: str, context: StoryContext | None) -> str:
    """``prompt`` unchanged, then character designs, art style, mood and time lighting, composition, quality."""
    original = prompt.strip().rstrip(",").strip()
    if not original:
        raise EngineError("nothing to enhance: the prompt is empty")
    if len(original) > MAX_PROMPT_CHARS:
        raise EngineError(f"prompt is too long ({len(original)} characters, at most {MAX_PROMPT_CHARS})")
    additions: list[str] = []
    seen = {_norm(term) for term in original.split(",")}
    text = _norm(original)
    for term in _candidates(original, context):
        key = _norm(term)
        if key and key not in seen and key not in text:
            seen.add(key)
            additions.append(term.strip())
    return ", ".join([original, *additions])


def _candidates(prompt: str, context: StoryContext | None) -> list[str]:
    words = v.stems(prompt.replace("close-up", "closeup").replace("close up", "closeup"))
    terms: list[str] = []
    if context is not None:
        index = CharacterIndex(context.characters)
        designs = {c.slug: c.design_prompt for c in context.characters}
        for slug in index.named_in(_capitalise_names(prompt, context)):
            terms += _split(designs.get(slug, ""))
        terms += _split(context.art_style)
    if not any("anime" in t.lower() for t in terms) and "anime" not in prompt.lower():
        terms.append("anime style")
    mood = find_mood(prompt) or (find_mood(f"{context.tone} {context.genre}") if context else None)
    if mood:
        terms += _split(v.MOOD_LIGHTING[mood])
    time_of_day = next((v.PROSE_TIMES[w] for w in words if w in v.PROSE_TIMES), "")
    if time_of_day:
        terms += _split(v.TIME_LIGHTING[time_of_day])
    composition = next((c for table, c in v.COMPOSITIONS if v.hits(words, table)), v.DEFAULT_COMPOSITION)
    return terms + _split(composition) + list(v.QUALITY_TERMS)


def _capitalise_names(prompt: str, context: StoryContext) -> str:
    """Prompts are often lower case ('mira on the rooftop'): find names regardless of case."""
    text = prompt
    for character in context.characters:
        for token in {character.name, *character.name.split()}:
            text = re.sub(
                rf"(?<![\w']){re.escape(token)}(?![\w'])", token[:1].upper() + token[1:], text, flags=re.IGNORECASE
            )
    return text


def _split(text: str) -> list[str]:
    return [t.strip() for t in text.split(",") if t.strip()]


def _norm(term: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", term.lower()))
