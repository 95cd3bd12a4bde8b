"""Review: versions, status, comments, gates."""
