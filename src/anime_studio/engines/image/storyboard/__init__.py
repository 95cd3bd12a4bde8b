"""The embedded storyboard image engine (Pillow): composition, backgrounds, figures, weather, annotations."""

from anime_studio.engines.image.storyboard.engine import RENDERER, StoryboardEngine

__all__ = ["RENDERER", "StoryboardEngine"]
