"""Anime Studio: a self-hosted anime production studio."""

__version__ = "0.1.0"
