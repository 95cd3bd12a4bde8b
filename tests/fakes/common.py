"""Helpers shared by the fake servers: seeded randomness from a request, base64 image checks."""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import random
import re
from typing import Any

from PIL import Image, UnidentifiedImageError

_B64_CHARS = re.compile(r"[^A-Za-z0-9+/=]")


def seeded(*parts: Any) -> random.Random:
    """A ``Random`` seeded from the JSON of ``parts``: the same request always gets the same answer."""
    blob = json.dumps(parts, sort_keys=True, default=str).encode()
    return random.Random(int.from_bytes(hashlib.sha256(blob).digest()[:8], "big"))


def image_problem(data: str) -> str | None:
    """Go's base64 error text (what Ollama answers) or an image-format error; ``None`` for a valid image."""
    bad = _B64_CHARS.search(data)
    if bad:
        return f"illegal base64 data at input byte {bad.start()}"
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return f"illegal base64 data at input byte {len(data) - len(data) % 4}"
    try:
        with Image.open(io.BytesIO(raw)) as image:
            image.verify()
    except (UnidentifiedImageError, OSError):
        return "image: unknown format"
    return None


def unit_vector(text: str, dimensions: int) -> list[float]:
    """A deterministic, L2-normalised pseudo-embedding of ``text``."""
    rng = seeded("embedding", text, dimensions)
    values = [rng.gauss(0.0, 1.0) for _ in range(dimensions)]
    norm = sum(v * v for v in values) ** 0.5 or 1.0
    return [v / norm for v in values]
