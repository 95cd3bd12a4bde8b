"""Assets: every file the studio produces (images, clips, scenes, episodes) — the gallery and file serving."""
