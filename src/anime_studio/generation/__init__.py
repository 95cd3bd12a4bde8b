"""Generation: character images and videos through the configured engines, reviewed as they land."""
