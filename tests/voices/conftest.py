"""Speech made by the embedded espeak-ng engine, as the uploads a person would record."""

from __future__ import annotations

import subprocess
from pathlib import Path

from imageio_ffmpeg import get_ffmpeg_exe

from anime_studio.engines.tts.base import SpeechRequest, VoiceSettings
from anime_studio.engines.tts.espeak import EspeakEngine

# espeak-ng's Klatt variant is the one PocketSphinx hears best (see benchmarks/transcribe_wer.py).
VOICE = VoiceSettings(voice="en-us+klatt", rate=150)


async def spoken(text: str, folder: Path, *, fmt: str = "mp3") -> bytes:
    """``text`` spoken by espeak-ng, re-encoded as a 44.1 kHz stereo file (not the studio's own format)."""
    wav = folder / "speech.wav"
    await EspeakEngine().synthesize(SpeechRequest(text=text, output_path=wav, voice=VOICE))
    command = [get_ffmpeg_exe(), "-loglevel", "error", "-i", str(wav), "-ac", "2", "-ar", "44100", "-f", fmt, "-"]
    return subprocess.run(command, check=True, capture_output=True).stdout
