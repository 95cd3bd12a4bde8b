"""The music mood vocabulary (from the original system's ``MOOD_PROMPTS``) and its synonyms.

Shared by every music engine (the synthesiser picks an arrangement, text-to-music engines build a
caption) and by the story breakdown, which labels scenes with these moods.
"""

from __future__ import annotations

import re

FALLBACK_MOOD = "ambient"

MOOD_PROMPTS: dict[str, str] = {
    "tense": "dark suspenseful orchestral, low strings, building tension, minor key",
    "romantic": "gentle piano melody, soft strings, warm intimate, slow tempo",
    "seductive": "sensual jazz, soft saxophone, intimate atmosphere, slow groove, breathy",
    "intimate": "gentle piano melody, soft strings, warm romantic atmosphere, slow tempo",
    "action": "intense percussion, fast electronic, dramatic hits, driving rhythm",
    "melancholy": "slow piano, minor key, ambient pads, emotional strings",
    "comedic": "playful pizzicato, bouncy rhythm, lighthearted woodwinds",
    "threatening": "deep bass drones, dark orchestral, heavy percussion, menacing",
    "powerful": "epic orchestral, brass fanfare, powerful drums, dramatic crescendo",
    "desperate": "dissonant strings, erratic piano, anxious tempo, building dread",
    "vulnerable": "solo piano, fragile melody, sparse arrangement, melancholy",
    "peaceful": "ambient pads, gentle harp, nature sounds, meditative, slow",
    "dominant": "heavy beat, dark electronic, bass-heavy, aggressive confidence",
    "provocative": "sultry bass, slow groove, jazz drums, smoky atmosphere",
    "ambient": "atmospheric pads, gentle textures, ethereal, floating",
}

MOODS: tuple[str, ...] = tuple(MOOD_PROMPTS)

SYNONYMS: dict[str, str] = {
    # melancholy
    "sad": "melancholy",
    "sorrow": "melancholy",
    "sorrowful": "melancholy",
    "melancholic": "melancholy",
    "grief": "melancholy",
    "grieving": "melancholy",
    "mournful": "melancholy",
    "nostalgic": "melancholy",
    "bittersweet": "melancholy",
    "somber": "melancholy",
    "sombre": "melancholy",
    "tragic": "melancholy",
    "emotional": "melancholy",
    # comedic
    "happy": "comedic",
    "cheerful": "comedic",
    "funny": "comedic",
    "comedy": "comedic",
    "comic": "comedic",
    "playful": "comedic",
    "silly": "comedic",
    "lighthearted": "comedic",
    "whimsical": "comedic",
    "upbeat": "comedic",
    "joyful": "comedic",
    "fun": "comedic",
    # peaceful
    "calm": "peaceful",
    "serene": "peaceful",
    "tranquil": "peaceful",
    "relaxed": "peaceful",
    "gentle": "peaceful",
    "quiet": "peaceful",
    "hopeful": "peaceful",
    "content": "peaceful",
    "pastoral": "peaceful",
    "meditative": "peaceful",
    "slice-of-life": "peaceful",
    # action
    "exciting": "action",
    "excited": "action",
    "energetic": "action",
    "intense": "action",
    "fight": "action",
    "battle": "action",
    "chase": "action",
    "combat": "action",
    "thrilling": "action",
    "adventurous": "action",
    "adventure": "action",
    # tense
    "mysterious": "tense",
    "mystery": "tense",
    "suspense": "tense",
    "suspenseful": "tense",
    "eerie": "tense",
    "uneasy": "tense",
    "nervous": "tense",
    "anxious": "tense",
    "ominous": "tense",
    "thriller": "tense",
    "horror": "threatening",
    # threatening
    "dark": "threatening",
    "menacing": "threatening",
    "sinister": "threatening",
    "villainous": "threatening",
    "scary": "threatening",
    "dangerous": "threatening",
    "evil": "threatening",
    # powerful
    "epic": "powerful",
    "heroic": "powerful",
    "triumphant": "powerful",
    "victorious": "powerful",
    "determined": "powerful",
    "inspiring": "powerful",
    "climactic": "powerful",
    "grand": "powerful",
    # romantic / intimate
    "warm": "romantic",
    "love": "romantic",
    "loving": "romantic",
    "romance": "romantic",
    "tender": "intimate",
    "sweet": "romantic",
    "affectionate": "intimate",
    "cozy": "intimate",
    # desperate / vulnerable
    "panic": "desperate",
    "panicked": "desperate",
    "frantic": "desperate",
    "dread": "desperate",
    "urgent": "desperate",
    "hopeless": "desperate",
    "fragile": "vulnerable",
    "lonely": "vulnerable",
    "afraid": "vulnerable",
    "scared": "vulnerable",
    "shy": "vulnerable",
    "insecure": "vulnerable",
    # seductive / provocative / dominant
    "sensual": "seductive",
    "sultry": "seductive",
    "flirty": "provocative",
    "flirtatious": "provocative",
    "teasing": "provocative",
    "smoky": "provocative",
    "confident": "dominant",
    "aggressive": "dominant",
    "commanding": "dominant",
    "cool": "dominant",
    # ambient
    "dreamy": "ambient",
    "ethereal": "ambient",
    "atmospheric": "ambient",
    "floating": "ambient",
    "neutral": "ambient",
    "mystical": "ambient",
    "magical": "ambient",
}

_WORD = re.compile(r"[a-z][a-z-]*")


def canonical_mood(text: str) -> str:
    """The vocabulary mood for free text (``"Sad, rainy"`` → ``melancholy``); ``ambient`` if none is named."""
    return find_mood(text) or FALLBACK_MOOD


def find_mood(text: str) -> str | None:
    """The first mood word (or synonym) in ``text``, or ``None``."""
    words: list[str] = _WORD.findall(text.lower())
    for word in words:
        if word in MOOD_PROMPTS:
            return word
        if word in SYNONYMS:
            return SYNONYMS[word]
        stem = word.removesuffix("ly")
        if stem in SYNONYMS:
            return SYNONYMS[stem]
    return None
