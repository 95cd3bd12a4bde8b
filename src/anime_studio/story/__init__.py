"""story domain."""
