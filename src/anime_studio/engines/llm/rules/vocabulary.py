"""Keyword tables of the rules engine: moods, weather, times of day, shot cues, motion presets, lighting.

Words are compared by a light stem (``runs``/``running`` → ``run``, ``smiles``/``smiling`` → ``smil``),
so each table lists base forms only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_WORD = re.compile(r"[A-Za-z][A-Za-z']*")


def stem(word: str) -> str:
    """A crude, consistent English stem: enough to match inflections of the table words."""
    word = word.lower().removesuffix("'s").strip("'")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if len(word) >= 4 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]
            break
    if word.endswith("i"):
        word = word[:-1] + "y"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]
    return word


def stems(text: str) -> list[str]:
    """The stems of every word of ``text``, in order."""
    return [stem(w) for w in _WORD.findall(text)]


def table(words: str) -> frozenset[str]:
    return frozenset(stem(w) for w in words.split())


def hits(words: Iterable[str], table: frozenset[str]) -> int:
    """How many of ``words`` (stems) are in ``table``."""
    return sum(1 for w in words if w in table)


# Scene moods, in tie-break order; the names are the music mood vocabulary.
MOOD_WORDS: dict[str, frozenset[str]] = {
    "action": table(
        "fight punch kick explode explosion chase run sprint leap battle attack crash dodge slash strike shoot gun"
        " sword clash charge blast tackle"
    ),
    "threatening": table("threat threaten blade knife kill menace monster villain snarl loom danger deadly blood"),
    "tense": table(
        "shadow silence silent creep sneak nervous sweat footstep hide suspicious lurk tense uneasy flicker mystery"
        " mysterious strange stranger careful wary"
    ),
    "desperate": table("please help desperate trapped beg scream panic hurry shout frantic"),
    "powerful": table("roar power unleash rise transform glow energy aura triumph victory determined resolve protect"),
    "melancholy": table(
        "tear cry sad grief funeral grave lonely goodbye loss lost memory remember miss empty dying sorrow regret"
    ),
    "vulnerable": table("tremble shiver afraid scared fear fragile hurt wound weak alone shy"),
    "romantic": table("love kiss blush heart embrace hug date beautiful together hold"),
    "intimate": table("gentle softly tender warm close whisper"),
    "comedic": table("laugh joke grin giggle silly trip stumble prank funny awkward snort chuckle"),
    "peaceful": table("calm peaceful breeze sunlight bird garden quiet serene meadow relax smile tea friend hope"),
    "seductive": table("sultry seduce seductive allure"),
    "provocative": table("smirk tease wink flirt provocative"),
    "dominant": table("command commanding order dominate obey"),
}

# Weather, in priority order; a sentence that says it is over ("the storm is gone") does not count.
WEATHER_WORDS: dict[str, frozenset[str]] = {
    "storm": table("storm stormy thunder thunderstorm lightning typhoon hurricane"),
    "snow": table("snow snowy snowfall snowflake blizzard"),
    "rain": table("rain rainy raindrop downpour drizzle"),
    "fog": table("fog foggy mist misty haze hazy"),
    "windy": table("wind windy gale gust"),
    "cloudy": table("overcast cloudy"),
    "clear": table("sunny sunshine cloudless"),
}
WEATHER_ENDED = table("gone over pass passed stop stopped clear cleared subside end ended")

# Heading suffixes and prose words → the original's time-of-day vocabulary.
HEADING_TIMES: dict[str, str] = {
    "DAWN": "dawn", "SUNRISE": "dawn", "EARLY MORNING": "dawn", "MORNING": "morning", "DAY": "midday",
    "DAYTIME": "midday", "NOON": "midday", "MIDDAY": "midday", "AFTERNOON": "afternoon", "DUSK": "sunset",
    "SUNSET": "sunset", "TWILIGHT": "sunset", "MAGIC HOUR": "sunset", "EVENING": "evening", "NIGHT": "night",
    "LATE NIGHT": "night", "MIDNIGHT": "night", "NIGHTTIME": "night",
}  # fmt: skip
CONTINUING_TIMES = frozenset({"CONTINUOUS", "LATER", "MOMENTS LATER", "SAME", "SAME TIME", "A MOMENT LATER"})
PROSE_TIMES: dict[str, str] = {
    stem(w): t
    for t, words in {
        "dawn": "dawn sunrise daybreak",
        "morning": "morning breakfast",
        "midday": "noon midday lunchtime",
        "afternoon": "afternoon",
        "sunset": "sunset dusk twilight",
        "evening": "evening",
        "night": "night midnight moonlight moonlit starlight",
    }.items()
    for w in words.split()
}

# Shot choice.
ACTION_VERBS = table(
    "run sprint leap jump punch kick dodge roll slam crash explode fight strike swing slash chase dash lunge"
    " tackle shoot fire blast throw duck vault flip charge attack block parry flee dive"
)
CHAOS_WORDS = table("explode explosion crash collapse shatter")
CLOSE_UP_WORDS = table("tear cry sob smile blush eye face stare gaze tremble gasp wince frown grin bite")
EXTREME_CLOSE_WORDS = table("insert pupil")
WIDE_WORDS = table("enter arrive crowd street room everyone landscape horizon skyline city town across sky sea ocean")
EMOTIONAL_LINE_WORDS = table("love sorry afraid miss please forgive never promise goodbye scared heart alone die")
WHISPER_CUES = table("whisper whispering quietly murmur softly under breath")
TEAR_CUES = table("cry crying tearful tear sob choked")
SHOUT_CUES = table("shout shouting yell yelling angry furious scream")
SMILE_CUES = table("smile smiling laugh laughing grin grinning chuckle")

INTERIORS = table("room shop apartment house kitchen classroom office lighthouse cafe bar temple shrine")

# Motion presets chosen by keywords, per shot type; the first group whose words appear wins.
MOTION_CHOICES: dict[str, list[tuple[frozenset[str], int]]] = {
    "establishing": [
        (table("sky skyline city town village mountain ocean sea landscape forest valley harbor kingdom"), 3),
        (table("street corridor hallway road bridge beach field path tunnel"), 2),
        (INTERIORS, 1),
    ],
    "wide": [
        (table("walk enter arrive approach"), 0),
        (table("reveal vast huge stretch endless"), 1),
        (table("wind breeze sway leaf leaves blow"), 3),
    ],
    "medium": [
        (table("walk step stride approach"), 0),
        (table("turn face"), 3),
        (table("wait stand sit lean kneel shift"), 2),
    ],
    "close-up": [
        (table("smile grin laugh blink"), 1),
        (table("surprise gasp shock startle"), 3),
        (table("wind hair breeze"), 4),
        (table("turn glance away"), 2),
    ],
    "extreme_close-up": [
        (table("tear cry sob"), 1),
        (table("whisper murmur quietly softly"), 2),
        (table("determined narrow glare resolve"), 0),
    ],
    "action": [
        (table("leap jump vault flip dive"), 0),
        (table("punch kick strike slash hit swing block parry tackle"), 1),
        (table("run sprint dash chase flee charge"), 2),
        (table("dodge roll duck evade"), 3),
        (table("power glow energy aura magic transform"), 4),
    ],
}

# Prompt enhancement.
MOOD_LIGHTING: dict[str, str] = {
    "tense": "dramatic shadows, high contrast lighting",
    "threatening": "dark atmosphere, harsh rim lighting",
    "action": "dynamic lighting, motion lines",
    "desperate": "cold harsh light, deep shadows",
    "powerful": "epic lighting, glowing highlights",
    "melancholy": "muted colors, soft diffused light",
    "vulnerable": "soft diffused light, muted palette",
    "romantic": "soft warm lighting, gentle bokeh",
    "intimate": "soft warm lighting, shallow depth of field",
    "comedic": "bright cheerful colors, soft lighting",
    "peaceful": "soft natural light, pastel colors",
    "seductive": "low-key warm lighting, soft shadows",
    "provocative": "moody lighting, rich colors",
    "dominant": "low-key lighting, strong contrast",
    "ambient": "soft atmospheric lighting",
}
TIME_LIGHTING: dict[str, str] = {
    "dawn": "soft dawn light, pale pink sky",
    "morning": "fresh morning light",
    "midday": "bright daylight, clear shadows",
    "afternoon": "warm afternoon light",
    "sunset": "golden hour, warm orange glow",
    "evening": "evening light, deep blue sky",
    "night": "moonlight, cool blue tones",
}
COMPOSITIONS: list[tuple[frozenset[str], str]] = [
    (table("closeup portrait face eye"), "detailed face, expressive eyes, shallow depth of field"),
    (table("wide landscape establishing panorama skyline scenery"), "wide angle, detailed background, sense of scale"),
    (ACTION_VERBS | table("battle action dynamic"), "dynamic pose, dramatic angle, motion blur"),
]
DEFAULT_COMPOSITION = "rule of thirds composition, cinematic framing"
QUALITY_TERMS = ("masterpiece", "best quality", "highly detailed")
