"""Speech to text: the embedded PocketSphinx decoder and OpenAI-compatible ``/audio/transcriptions``."""
