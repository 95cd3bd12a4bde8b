"""Word error rate of the embedded transcriber on espeak-ng speech of known sentences.

Each sentence is spoken by the embedded TTS engine, re-encoded to MP3 (as an upload would arrive), and
transcribed by PocketSphinx; the WER is the word-level edit distance over the reference word count.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import subprocess
import tempfile
import time
from pathlib import Path

from anime_studio.engines.transcribe.pocketsphinx import PocketSphinxTranscriber
from anime_studio.engines.tts.base import SpeechRequest, VoiceSettings
from anime_studio.engines.tts.espeak import EspeakEngine
from anime_studio.media.ffmpeg import ffmpeg_exe

SENTENCES = [
    "I will find my sister before the sun goes down.",
    "We have to leave the city tonight.",
    "Open the door and let the people in.",
    "The dragon flew over the quiet village at night.",
    "Please tell me where you found the key.",
    "She walked to the station in the rain.",
    "Do not be afraid of the dark.",
    "My father built this house many years ago.",
    "The train leaves at seven in the morning.",
    "Thank you for coming back to help us.",
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    row = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        previous, row[0] = row[0], i
        for j, hyp in enumerate(hypothesis, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (ref != hyp))
    return row[-1]


async def measure(voice: VoiceSettings, folder: Path, *, show: bool) -> tuple[float, float]:
    tts, transcriber = EspeakEngine(), PocketSphinxTranscriber()
    errors = total = 0
    audio_seconds = wall = 0.0
    for index, sentence in enumerate(SENTENCES):
        wav, mp3 = folder / f"{index}.wav", folder / f"{index}.mp3"
        await tts.synthesize(SpeechRequest(text=sentence, output_path=wav, voice=voice))
        subprocess.run([ffmpeg_exe(), "-y", "-loglevel", "error", "-i", wav, "-ac", "2", mp3], check=True)
        started = time.perf_counter()
        transcript = await transcriber.transcribe(mp3)
        wall += time.perf_counter() - started
        audio_seconds += transcript.duration
        reference = words(sentence)
        distance = edit_distance(reference, words(transcript.text))
        errors, total = errors + distance, total + len(reference)
        if show:
            print(f"  {distance}/{len(reference)}  {sentence!r} -> {transcript.text!r}")
    return errors / total, wall / audio_seconds


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--voices", default="en-us+klatt4,en-us+klatt,en-us", help="espeak-ng voices to measure")
    parser.add_argument("--rate", type=int, default=150, help="words per minute")
    parser.add_argument("--show", action="store_true", help="print every transcript")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        await PocketSphinxTranscriber().transcribe(await _warm_up(Path(folder)))
        for voice in args.voices.split(","):
            wer, realtime = await measure(VoiceSettings(voice=voice, rate=args.rate), Path(folder), show=args.show)
            print(f"wer[{voice}]: {wer:.3f}")
            print(f"realtime_factor[{voice}]: {realtime:.3f}")


async def _warm_up(folder: Path) -> Path:
    path = folder / "warm.wav"
    await EspeakEngine().synthesize(SpeechRequest(text="Hello.", output_path=path))
    return path


if __name__ == "__main__":
    asyncio.run(main())
