"""The sample project created by ``anime-studio demo``."""
