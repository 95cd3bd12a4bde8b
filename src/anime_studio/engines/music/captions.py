"""Mood → music caption (the original studio's ``MOOD_PROMPTS`` table), for text-to-music engines."""

from __future__ import annotations

MOOD_CAPTIONS: dict[str, str] = {
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
}
FALLBACK_CAPTION = "atmospheric pads, gentle textures, ethereal, floating"

# Moods the story planner and users write that the table names differently.
_ALIASES = {
    "melancholic": "melancholy",
    "sad": "melancholy",
    "exciting": "action",
    "energetic": "action",
    "suspenseful": "tense",
    "suspense": "tense",
    "calm": "peaceful",
    "serene": "peaceful",
    "funny": "comedic",
    "comedy": "comedic",
    "epic": "powerful",
    "triumphant": "powerful",
    "dark": "threatening",
    "ominous": "threatening",
    "scary": "threatening",
    "romance": "romantic",
    "anxious": "desperate",
}


def mood_caption(mood: str) -> str:
    """The caption fragment for ``mood`` (case-insensitive, common synonyms), else the ambient fallback."""
    key = mood.strip().lower()
    key = _ALIASES.get(key, key)
    return MOOD_CAPTIONS.get(key, FALLBACK_CAPTION)


def music_caption(mood: str, extra: str = "") -> str:
    """Mood fragment + the request's own style tags + ``instrumental`` (scene music never has vocals)."""
    parts = [mood_caption(mood), " ".join(extra.split()), "instrumental, no vocals, anime soundtrack"]
    return ", ".join(part for part in parts if part)
