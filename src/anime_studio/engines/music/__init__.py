"""Music engines: a score for a scene from its mood."""
