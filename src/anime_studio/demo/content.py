"""What the sample project contains: a short two-scene story with a human and a non-human lead."""

from __future__ import annotations

from typing import Any

PROJECT: dict[str, Any] = {
    "name": "Lantern Courier",
    "slug": "lantern-courier",
    "description": "A young courier and a lantern spirit deliver the last letters of a rain-soaked harbour town.",
    "genre": "slice of life, fantasy",
    "premise": (
        "Every letter Hana delivers lights one lantern in Kiriyama; tonight the last one must reach the lighthouse."
    ),
    "content_rating": "TV-G",
}

STORYLINE: dict[str, Any] = {
    "title": "The Last Letter",
    "summary": (
        "On the night of the harbour festival, courier Hana Aoyama finds a letter addressed to the abandoned "
        "lighthouse. With Pip, a grumpy lantern spirit who lives in her bag, she crosses the rainy town to "
        "deliver it before the festival lights go out."
    ),
    "theme": "small kindnesses keep a town alive",
    "genre": "slice of life",
    "target_audience": "all ages",
    "tone": "warm, gently melancholic",
    "humor_style": "dry banter between Hana and Pip",
    "themes": ["friendship", "letters", "festival", "rain"],
    "story_arcs": [{"name": "Delivery", "beats": ["the letter", "the climb", "the light"]}],
}

WORLD: dict[str, Any] = {
    "style_preamble": "anime key visual, soft cel shading",
    "art_style": "90s cel anime, painted backgrounds",
    "aesthetic": "rainy harbour town, paper lanterns, warm light against blue dusk",
    "color_palette": {
        "primary": ["#1f3b5b", "#f2a541"],
        "secondary": ["#3d5a80", "#e07a5f"],
        "accent": ["#ffd166"],
        "background": ["#0d1b2a", "#415a77"],
    },
    "cinematography": {"lens": "35mm", "framing": "rule of thirds", "lighting": "practical lantern light"},
    "world_location": {"town": "Kiriyama", "region": "a fictional northern harbour"},
    "time_period": "timeless, early Showa feel",
    "production_notes": "Keep Pip small (knee height) and always glowing.",
    "known_issues": ["Pip drawn as a person"],
    "negative_prompt_guidance": "photorealistic, 3d render, modern cars",
}

CHARACTERS: list[dict[str, Any]] = [
    {
        "name": "Hana Aoyama",
        "slug": "hana",
        "role": "protagonist",
        "description": "A 17-year-old courier, stubborn and kind.",
        "design_prompt": (
            "1girl, hana aoyama, short black bob hair, amber eyes, yellow raincoat, red scarf, "
            "brown courier bag, rubber boots"
        ),
        "appearance_data": {
            "species": "human",
            "key_colors": {"hair": "#1b1b1b", "raincoat": "#f2c14e", "scarf": "#c0392b", "bag": "#7b4b2a"},
            "key_features": ["short black bob", "yellow raincoat", "red scarf", "courier bag"],
            "common_errors": ["long hair", "school uniform"],
        },
        "voice": {"voice": "en-us+f3", "pitch": 62, "rate": 165, "volume": 100},
    },
    {
        "name": "Pip",
        "slug": "pip",
        "role": "companion",
        "description": "A paper-lantern spirit with stubby legs and a candle heart.",
        "design_prompt": (
            "pip, small paper lantern creature, round glowing orange lantern body, two dot eyes, "
            "tiny stubby legs, candle flame inside, no arms"
        ),
        "appearance_data": {
            "species": "lantern spirit (NOT human)",
            "key_colors": {"body": "#f39c12", "glow": "#ffd166", "frame": "#5d4037"},
            "key_features": ["round lantern body", "dot eyes", "stubby legs", "inner flame"],
            "common_errors": ["arms", "human hands", "clothes"],
        },
        "voice": {"voice": "en-us+m7", "pitch": 80, "rate": 185, "volume": 100},
    },
]
