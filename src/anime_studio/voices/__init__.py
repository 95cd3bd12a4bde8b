"""Voices: per-character voice samples, their transcripts, and lines of dialogue made from them."""
