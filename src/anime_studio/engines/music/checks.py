"""Request checks every music engine applies before it asks anything of a backend."""

from __future__ import annotations

import math

from anime_studio.engines.base import EngineError
from anime_studio.engines.music.base import MusicRequest

MIN_SECONDS = 0.5
MAX_SECONDS = 600.0


def validate(request: MusicRequest) -> None:
    """A finite duration the engines can fill and fades that are not negative."""
    if not math.isfinite(request.duration) or not MIN_SECONDS <= request.duration <= MAX_SECONDS:
        raise EngineError(
            f"music duration must be between {MIN_SECONDS} and {MAX_SECONDS:.0f} seconds (got {request.duration})"
        )
    if request.fade_in < 0 or request.fade_out < 0:
        raise EngineError("fade lengths cannot be negative")


def make_folder(request: MusicRequest) -> None:
    """Create the output folder before a (minutes long) render, so a bad path fails first and clearly."""
    try:
        request.output_path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EngineError(f"cannot write the music file {request.output_path}: {error.strerror or error}") from error
