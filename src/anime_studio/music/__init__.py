"""The music library: every composed, uploaded or Apple Music track, cached once and reusable by any scene."""
