"""Perceptual fingerprints for duplicate detection in datasets: gradient hash (dHash) + colour layout.

A 64-bit dHash alone calls two different characters in the same pose on the same plain background
"the same picture"; the 256-bit gradient hash sees finer structure and the 4×4 colour layout tells
a yellow raincoat from a slate jacket. Both must match for a near duplicate.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

HASH_SIDE = 16
NEAR_DUPLICATE_BITS = 24
"""Hamming distance (of 256 bits) at or below which two structures count as the same picture."""
NEAR_DUPLICATE_COLOUR = 10.0
"""Mean absolute difference (0..255) of the 4×4 colour layouts at or below which colours count as the same."""


def fingerprint(image: Image.Image) -> str:
    """``{256-bit dHash hex}:{4×4 RGB layout hex}``: survives re-encoding, resizing and light noise."""
    gray = np.asarray(image.convert("L").resize((HASH_SIDE + 1, HASH_SIDE), Image.Resampling.LANCZOS), dtype=np.int16)
    bits = (gray[:, 1:] > gray[:, :-1]).flatten()
    structure = int("".join("1" if b else "0" for b in bits), 2)
    layout = np.asarray(image.convert("RGB").resize((4, 4), Image.Resampling.BOX), dtype=np.uint8)
    return f"{structure:064x}:{layout.tobytes().hex()}"


def same_picture(a: str, b: str) -> bool:
    structure_a, _, colour_a = a.partition(":")
    structure_b, _, colour_b = b.partition(":")
    if len(structure_a) != len(structure_b) or len(colour_a) != len(colour_b):
        return False  # fingerprints of another version are never trusted as matches
    if (int(structure_a, 16) ^ int(structure_b, 16)).bit_count() > NEAR_DUPLICATE_BITS:
        return False
    colours = np.frombuffer(bytes.fromhex(colour_a), np.uint8).astype(np.int16)
    others = np.frombuffer(bytes.fromhex(colour_b), np.uint8).astype(np.int16)
    return float(np.abs(colours - others).mean()) <= NEAR_DUPLICATE_COLOUR


def near(candidate: str, known: list[str]) -> bool:
    return any(same_picture(candidate, other) for other in known)
