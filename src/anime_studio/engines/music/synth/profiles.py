"""One arrangement recipe per mood: tempo, keys, progressions, parts and melody voice.

The recipes follow the original system's ``MOOD_PROMPTS`` captions (``engines/music/moods.py``):
'peaceful' is pads + harp + a breath of wind, 'action' is driving drums, bass and arpeggios, and so
on. Levels are kept low and soft because a scene's score plays under its dialogue.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Part:
    """One accompaniment layer: a role (what it plays) on an instrument, and where it sits in the mix."""

    role: str
    instrument: str
    gain: float
    pan: float = 0.0
    send: float = 0.25
    min_intensity: float = 0.0
    register: tuple[int, int] = (52, 72)


@dataclass(frozen=True)
class Profile:
    """How a mood sounds."""

    mood: str
    tempo: float
    keys: tuple[str, ...]
    progression_a: tuple[str, ...]
    progression_b: tuple[str, ...]
    parts: tuple[Part, ...]
    melody: tuple[str, str]
    """Instrument of the theme, and the one that takes it over in later sections."""
    melody_register: tuple[int, int]
    melody_gain: float
    rhythm: str
    """Melody rhythm vocabulary: slow, flowing, lively, sparse, erratic, fanfare, syncopated."""
    swing: float = 0.0
    build: bool = False
    """Intensity rises through the piece instead of arching."""
    reverb: float = 2.0
    wet: float = 0.25
    air: float = 0.0
    """Level of a soft wind bed (the 'nature sounds' of peaceful scenes)."""


P = Part

PROFILES: dict[str, Profile] = {
    "peaceful": Profile(
        mood="peaceful",
        tempo=70,
        keys=("D major", "F major", "G major"),
        progression_a=("Iadd9", "IVmaj7", "vi7", "Vsus4"),
        progression_b=("IVmaj7", "Iadd9", "ii7", "Vsus4"),
        parts=(
            P("pad", "pad", 0.22, send=0.5, register=(55, 74)),
            P("harp_roll", "harp", 0.3, pan=-0.35, send=0.4, min_intensity=0.2, register=(50, 84)),
            P("bass_whole", "soft_bass", 0.28, min_intensity=0.35, register=(38, 50)),
            P("bells_sparse", "bells", 0.16, pan=0.4, send=0.6, min_intensity=0.6, register=(76, 91)),
        ),
        melody=("flute", "bells"),
        melody_register=(69, 86),
        melody_gain=0.2,
        rhythm="slow",
        reverb=2.8,
        wet=0.3,
        air=0.035,
    ),
    "tense": Profile(
        mood="tense",
        tempo=76,
        keys=("D minor", "C minor", "E minor"),
        progression_a=("i", "bVI", "i", "V"),
        progression_b=("iv", "bII", "i", "V7"),
        parts=(
            P("drone", "drone", 0.2, send=0.3, register=(26, 45)),
            P("pad", "strings", 0.17, pan=-0.2, send=0.35, register=(48, 67)),
            P("pulse8", "pizzicato", 0.28, pan=0.25, send=0.25, min_intensity=0.3, register=(45, 60)),
            P("timpani_bar", "timpani", 0.2, send=0.35, min_intensity=0.7, register=(38, 50)),
        ),
        melody=("piano", "strings"),
        melody_register=(67, 84),
        melody_gain=0.2,
        rhythm="sparse",
        build=True,
        reverb=2.6,
        wet=0.3,
    ),
    "action": Profile(
        mood="action",
        tempo=140,
        keys=("E minor", "D minor", "C minor"),
        progression_a=("i", "bVI", "bIII", "bVII"),
        progression_b=("iv", "bVI", "bVII", "i"),
        parts=(
            P("drums_rock", "kit", 0.34, send=0.1, min_intensity=0.3),
            P("bass_drive", "synth_bass", 0.3, send=0.05, register=(33, 48)),
            P("arp16", "synth_pluck", 0.14, pan=0.35, send=0.25, min_intensity=0.45, register=(60, 79)),
            P("pad", "strings", 0.14, pan=-0.3, send=0.3, register=(52, 71)),
            P("hits", "timpani", 0.22, send=0.35, min_intensity=0.6, register=(38, 50)),
        ),
        melody=("synth_lead", "brass"),
        melody_register=(64, 81),
        melody_gain=0.17,
        rhythm="lively",
        reverb=1.6,
        wet=0.18,
    ),
    "romantic": Profile(
        mood="romantic",
        tempo=68,
        keys=("F major", "Eb major", "Bb major"),
        progression_a=("I", "vi", "IV", "V"),
        progression_b=("ii7", "V7", "iii7", "vi7"),
        parts=(
            P("arp_broken", "piano", 0.26, pan=-0.15, send=0.3, register=(41, 72)),
            P("pad", "strings", 0.14, pan=0.25, send=0.45, min_intensity=0.35, register=(53, 72)),
            P("bass_whole", "soft_bass", 0.2, min_intensity=0.5, register=(36, 48)),
        ),
        melody=("piano", "strings"),
        melody_register=(67, 86),
        melody_gain=0.24,
        rhythm="flowing",
        reverb=2.4,
        wet=0.28,
    ),
    "intimate": Profile(
        mood="intimate",
        tempo=62,
        keys=("Ab major", "Db major", "E major"),
        progression_a=("Imaj7", "iii7", "IVmaj7", "iv"),
        progression_b=("vi7", "ii7", "IVmaj7", "Vsus4"),
        parts=(
            P("arp_quarters", "piano", 0.26, pan=-0.1, send=0.3, register=(41, 70)),
            P("pad", "pad", 0.14, pan=0.2, send=0.45, min_intensity=0.3, register=(55, 72)),
            P("bass_whole", "soft_bass", 0.18, min_intensity=0.55, register=(36, 48)),
        ),
        melody=("piano", "strings"),
        melody_register=(65, 82),
        melody_gain=0.24,
        rhythm="slow",
        reverb=2.2,
        wet=0.3,
    ),
    "seductive": Profile(
        mood="seductive",
        tempo=76,
        keys=("D dorian", "A dorian", "G dorian"),
        progression_a=("i7", "IV7", "i7", "IV7"),
        progression_b=("iv7", "bVII7", "bIIImaj7", "V7"),
        parts=(
            P("comp_jazz", "electric_piano", 0.2, pan=-0.3, send=0.3, register=(53, 72)),
            P("bass_walk", "upright_bass", 0.28, send=0.08, register=(33, 50)),
            P("drums_jazz", "kit", 0.24, pan=0.15, send=0.2, min_intensity=0.3),
        ),
        melody=("saxophone", "electric_piano"),
        melody_register=(60, 77),
        melody_gain=0.17,
        rhythm="syncopated",
        swing=0.3,
        reverb=2.0,
        wet=0.22,
    ),
    "provocative": Profile(
        mood="provocative",
        tempo=82,
        keys=("E minor", "F minor", "C minor"),
        progression_a=("i7", "i7", "iv7", "V7"),
        progression_b=("bVImaj7", "bVII7", "i7", "i7"),
        parts=(
            P("bass_syncopated", "upright_bass", 0.3, send=0.06, register=(31, 48)),
            P("drums_jazz", "kit", 0.24, pan=0.15, send=0.2),
            P("comp_jazz", "electric_piano", 0.16, pan=-0.3, send=0.3, min_intensity=0.4, register=(53, 70)),
        ),
        melody=("saxophone", "electric_piano"),
        melody_register=(58, 75),
        melody_gain=0.15,
        rhythm="syncopated",
        swing=0.25,
        reverb=1.8,
        wet=0.2,
    ),
    "melancholy": Profile(
        mood="melancholy",
        tempo=64,
        keys=("A minor", "E minor", "D minor"),
        progression_a=("i", "bVI", "bIII", "bVII"),
        progression_b=("iv", "i", "bVI", "V"),
        parts=(
            P("arp_broken", "piano", 0.24, pan=-0.15, send=0.35, register=(40, 70)),
            P("pad", "pad", 0.16, pan=0.2, send=0.5, register=(52, 70)),
            P("bass_whole", "soft_bass", 0.18, min_intensity=0.5, register=(33, 47)),
        ),
        melody=("piano", "strings"),
        melody_register=(64, 83),
        melody_gain=0.23,
        rhythm="slow",
        reverb=2.8,
        wet=0.32,
    ),
    "comedic": Profile(
        mood="comedic",
        tempo=118,
        keys=("C major", "G major", "F major"),
        progression_a=("I", "vi", "ii", "V7"),
        progression_b=("IV", "I", "ii7", "V7"),
        parts=(
            P("bass_oompah", "pizzicato", 0.36, pan=-0.1, send=0.15, register=(36, 50)),
            P("pizz_offbeat", "pizzicato", 0.22, pan=0.3, send=0.2, register=(55, 72)),
            P("bells_double", "bells", 0.1, pan=-0.4, send=0.4, min_intensity=0.65, register=(72, 91)),
            P("drums_light", "kit", 0.16, send=0.1, min_intensity=0.5),
        ),
        melody=("clarinet", "flute"),
        melody_register=(62, 81),
        melody_gain=0.13,
        rhythm="lively",
        reverb=1.4,
        wet=0.15,
    ),
    "threatening": Profile(
        mood="threatening",
        tempo=60,
        keys=("C minor", "C# minor", "B minor"),
        progression_a=("i", "bII", "i", "bII"),
        progression_b=("iv", "bII", "bVI", "V"),
        parts=(
            P("drone", "drone", 0.3, send=0.25, register=(24, 40)),
            P("pad", "brass", 0.1, pan=-0.2, send=0.4, min_intensity=0.35, register=(43, 60)),
            P("taiko", "timpani", 0.28, send=0.35, min_intensity=0.3, register=(33, 45)),
            P("bass_whole", "synth_bass", 0.2, min_intensity=0.5, register=(28, 40)),
        ),
        melody=("piano", "strings"),
        melody_register=(48, 67),
        melody_gain=0.2,
        rhythm="sparse",
        build=True,
        reverb=3.0,
        wet=0.32,
    ),
    "powerful": Profile(
        mood="powerful",
        tempo=96,
        keys=("D major", "C major", "Eb major"),
        progression_a=("I", "V", "vi", "IV"),
        progression_b=("IV", "I", "bVII", "V"),
        parts=(
            P("pad", "strings", 0.17, pan=-0.25, send=0.35, register=(52, 72)),
            P("ostinato8", "strings", 0.1, pan=0.3, send=0.25, min_intensity=0.45, register=(55, 72)),
            P("bass_half", "soft_bass", 0.3, register=(33, 47)),
            P("taiko", "timpani", 0.24, send=0.3, min_intensity=0.55, register=(38, 50)),
        ),
        melody=("brass", "strings"),
        melody_register=(62, 79),
        melody_gain=0.24,
        rhythm="fanfare",
        build=True,
        reverb=2.6,
        wet=0.28,
    ),
    "desperate": Profile(
        mood="desperate",
        tempo=108,
        keys=("B minor", "G minor", "F# minor"),
        progression_a=("i", "iv", "bII", "V7"),
        progression_b=("bVI", "bII", "iv", "V"),
        parts=(
            P("pad", "tremolo_strings", 0.15, pan=-0.25, send=0.35, register=(50, 70)),
            P("pulse8", "soft_bass", 0.26, send=0.1, min_intensity=0.35, register=(36, 50)),
            P("timpani_bar", "timpani", 0.16, send=0.35, min_intensity=0.75, register=(38, 50)),
        ),
        melody=("piano", "strings"),
        melody_register=(62, 84),
        melody_gain=0.2,
        rhythm="erratic",
        build=True,
        reverb=2.2,
        wet=0.28,
    ),
    "vulnerable": Profile(
        mood="vulnerable",
        tempo=58,
        keys=("E minor", "A minor", "B minor"),
        progression_a=("i", "bVI", "iv", "V"),
        progression_b=("bIII", "bVII", "iv", "i"),
        parts=(
            P("arp_quarters", "piano", 0.16, pan=-0.1, send=0.35, register=(40, 66)),
            P("pad", "pad", 0.1, pan=0.2, send=0.5, min_intensity=0.7, register=(52, 69)),
        ),
        melody=("piano", "piano"),
        melody_register=(67, 88),
        melody_gain=0.22,
        rhythm="sparse",
        reverb=3.0,
        wet=0.34,
    ),
    "dominant": Profile(
        mood="dominant",
        tempo=90,
        keys=("F minor", "E minor", "G minor"),
        progression_a=("i", "i", "bVI", "bVII"),
        progression_b=("iv", "iv", "bVI", "V"),
        parts=(
            P("drums_heavy", "kit", 0.34, send=0.08),
            P("bass_syncopated", "synth_bass", 0.36, send=0.04, register=(29, 44)),
            P("pad", "pad", 0.14, pan=-0.3, send=0.35, min_intensity=0.4, register=(48, 67)),
            P("stabs", "brass", 0.08, pan=0.3, send=0.3, min_intensity=0.6, register=(55, 72)),
        ),
        melody=("synth_lead", "brass"),
        melody_register=(55, 74),
        melody_gain=0.14,
        rhythm="syncopated",
        reverb=1.6,
        wet=0.16,
    ),
    "ambient": Profile(
        mood="ambient",
        tempo=60,
        keys=("C lydian", "Eb major", "A major"),
        progression_a=("Imaj7", "Imaj7", "IVmaj7", "IVmaj7"),
        progression_b=("vi7", "vi7", "IVmaj7", "Vsus4"),
        parts=(
            P("pad", "pad", 0.24, send=0.55, register=(52, 76)),
            P("bells_sparse", "bells", 0.12, pan=0.35, send=0.65, register=(72, 91)),
            P("harp_roll", "harp", 0.18, pan=-0.35, send=0.5, min_intensity=0.6, register=(55, 84)),
            P("drone", "drone", 0.12, send=0.3, min_intensity=0.3, register=(31, 45)),
        ),
        melody=("bells", "flute"),
        melody_register=(72, 88),
        melody_gain=0.14,
        rhythm="slow",
        reverb=3.2,
        wet=0.36,
        air=0.025,
    ),
}
