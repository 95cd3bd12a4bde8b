"""The procedural mood synthesiser (embedded music engine): theory, instruments, arrangement, mix, master."""

from anime_studio.engines.music.synth.engine import SynthMusicEngine

__all__ = ["SynthMusicEngine"]
