"""characters domain."""
