"""scenes domain."""
