"""The image engine protocol."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from anime_studio.engines.base import EngineStatus, Progress


@dataclass(frozen=True)
class LoraSpec:
    name: str
    strength_model: float = 1.0
    strength_clip: float = 1.0


@dataclass(frozen=True)
class CharacterHint:
    """Who is in the picture (the storyboard draws them; ComfyUI engines ignore it)."""

    name: str
    key_colors: dict[str, str] = field(default_factory=dict)
    species: str = "human"
    is_human: bool = True


@dataclass(frozen=True)
class SceneHint:
    """Where and how the picture is framed (used by the storyboard renderer for composition and palette)."""

    location: str = ""
    time_of_day: str = ""
    weather: str = ""
    mood: str = ""
    shot_type: str = "medium"
    camera_angle: str = "eye_level"
    palette: dict[str, list[str]] = field(default_factory=dict)
    caption: str = ""


@dataclass(frozen=True)
class ImageRequest:
    prompt: str
    negative: str
    seed: int
    width: int
    height: int
    output_path: Path
    checkpoint: str = ""
    steps: int = 25
    cfg: float = 7.0
    sampler: str = "euler_ancestral"
    scheduler: str = "normal"
    loras: tuple[LoraSpec, ...] = ()
    init_image: Path | None = None
    denoise: float = 1.0
    reference_images: tuple[Path, ...] = ()
    characters: tuple[CharacterHint, ...] = ()
    scene: SceneHint | None = None


@dataclass(frozen=True)
class ImageResult:
    path: Path
    seed: int
    engine: str
    duration: float
    parameters: dict[str, Any]
    """Everything needed to reproduce it: the full workflow or the renderer's parameters (provenance)."""


class ImageEngine(Protocol):
    name: str

    async def generate(self, request: ImageRequest, *, progress: Progress | None = None) -> ImageResult:
        """Render one image to ``request.output_path`` (PNG)."""
        ...

    async def models(self) -> list[str]:
        """Checkpoints this engine can use (the Project tab's checkpoint choice)."""
        ...

    def parallel_prompts(self) -> int:
        """How many images of one run are worth asking for at once (``batch.generate_all``)."""
        ...

    async def status(self) -> EngineStatus: ...


@runtime_checkable
class ImageUpscaler(Protocol):
    """An image engine that can also enlarge an existing picture with a model (ComfyUI); others cannot."""

    async def upscale(
        self, source: Path, output: Path, *, width: int, height: int, progress: Progress | None = None
    ) -> ImageResult:
        """Write ``source`` enlarged to exactly ``width``×``height`` to ``output`` (PNG)."""
        ...
