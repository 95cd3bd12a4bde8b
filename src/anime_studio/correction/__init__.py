"""Auto-correction: the spec's seven fix strategies applied to rejected dataset images, as runs."""
