"""episodes domain."""
