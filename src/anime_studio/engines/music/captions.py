"""Mood → music caption for text-to-music engines, from the shared mood vocabulary (``moods.py``)."""

from __future__ import annotations

from anime_studio.engines.music.moods import MOOD_PROMPTS, canonical_mood


def mood_caption(mood: str) -> str:
    """The caption fragment for ``mood`` (case-insensitive, synonyms understood), else the ambient one."""
    return MOOD_PROMPTS[canonical_mood(mood)]


def music_caption(mood: str, extra: str = "") -> str:
    """Mood fragment + the request's own style tags + ``instrumental`` (scene music never has vocals)."""
    parts = [mood_caption(mood), " ".join(extra.split()), "instrumental, no vocals, anime soundtrack"]
    return ", ".join(part for part in parts if part)
