"""Text-to-speech engines: dialogue lines → WAV."""
