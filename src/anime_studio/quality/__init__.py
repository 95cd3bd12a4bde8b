"""quality domain."""
