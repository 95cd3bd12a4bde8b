"""Speech for the voice e2e test: a sentence spoken by the studio's embedded espeak-ng, as MP3, and a short
music file; prints their names as JSON."""

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from anime_studio.engines.music.base import MusicRequest
from anime_studio.engines.music.synth import SynthMusicEngine
from anime_studio.engines.tts.base import SpeechRequest, VoiceSettings
from anime_studio.engines.tts.espeak import EspeakEngine
from anime_studio.media.ffmpeg import ffmpeg_exe


async def main(folder: Path) -> None:
    wav = folder / "line.wav"
    voice = VoiceSettings(voice="en-us+klatt", rate=150)
    await EspeakEngine().synthesize(
        SpeechRequest(text="We have to leave the city tonight.", output_path=wav, voice=voice)
    )
    subprocess.run([ffmpeg_exe(), "-y", "-loglevel", "error", "-i", wav, folder / "line.mp3"], check=True)
    await SynthMusicEngine().compose(MusicRequest(mood="peaceful", duration=3.0, output_path=folder / "theme.wav"))
    print(json.dumps({"speech": "line.mp3", "music": "theme.wav"}))


asyncio.run(main(Path(sys.argv[1])))
