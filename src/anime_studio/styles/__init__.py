"""styles domain."""
