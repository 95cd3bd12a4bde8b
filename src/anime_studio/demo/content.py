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
    "script": """Title: The Last Letter
Author: Anime Studio demo

EXT. KIRIYAMA HARBOUR STREET - EVENING

Rain drums on paper lanterns. HANA AOYAMA, in a yellow raincoat, shelters under the post office awning.

HANA
One letter left... and it's addressed to the lighthouse.

PIP, a small lantern spirit, peeks out of her courier bag.

PIP
(alarmed)
The lighthouse? Nobody has lived there for years!

CUT TO:

EXT. CLIFF ROAD TO THE LIGHTHOUSE - NIGHT

Wind howls. Hana and Pip climb the steep cliff road toward the dark tower.

PIP
Hold on to your hat!

Hana runs up the last stairs. High above, a warm light flickers on.

HANA
Look, Pip. The light is on.
""",
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


# Two scenes of three shots each. Speakers are character slugs; "keyframes" continuity makes each shot
# start from its own storyboard panel, which is what an animatic on the embedded engines should show.
SCENES: list[dict[str, Any]] = [
    {
        "title": "The Last Letter",
        "description": "At the harbour post office Hana finds the last letter of the night.",
        "location": "harbour street, post office, paper lanterns",
        "time_of_day": "evening",
        "weather": "rain",
        "mood": "melancholy",
        "continuity": "keyframes",
        "shots": [
            {
                "shot_type": "establishing",
                "duration": 3.0,
                "cast": ["hana"],
                "motion_prompt": "slow pan across the scene, establishing the environment",
            },
            {
                "shot_type": "medium",
                "duration": 3.5,
                "cast": ["hana", "pip"],
                "speaker": "hana",
                "dialogue_text": "One letter left... and it's addressed to the lighthouse.",
                "motion_prompt": "character gestures while talking, slight body movement",
            },
            {
                "shot_type": "close-up",
                "duration": 3.0,
                "cast": ["pip"],
                "speaker": "pip",
                "dialogue_text": "The lighthouse? Nobody has lived there for years!",
                "motion_prompt": "character's eyes widen with surprise",
                "transition_type": "dissolve",
            },
        ],
    },
    {
        "title": "Up the Lighthouse Road",
        "description": "Through wind and dark, Hana and Pip climb to the lighthouse.",
        "location": "cliff road to the lighthouse by the sea",
        "time_of_day": "night",
        "weather": "wind",
        "mood": "tense",
        "continuity": "keyframes",
        "shots": [
            {
                "shot_type": "wide",
                "duration": 3.0,
                "cast": ["hana", "pip"],
                "motion_prompt": "characters walk into frame from the side",
            },
            {
                "shot_type": "action",
                "duration": 3.0,
                "cast": ["hana", "pip"],
                "speaker": "pip",
                "dialogue_text": "Hold on to your hat!",
                "motion_prompt": "character sprints forward, running sequence",
                "transition_type": "wipe",
            },
            {
                "shot_type": "close-up",
                "duration": 3.5,
                "cast": ["hana"],
                "speaker": "hana",
                "dialogue_text": "Look, Pip. The light is on.",
                "motion_prompt": "character blinks and smiles softly",
                "transition_type": "fade",
            },
        ],
    },
]

EPISODE: dict[str, Any] = {
    "number": 1,
    "title": "The Last Letter",
    "description": "Hana and Pip deliver the last letter of the festival night to the abandoned lighthouse.",
    "story_arc": "Delivery",
}
