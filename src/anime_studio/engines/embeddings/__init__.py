"""Embedding engines: text → fixed-size vectors for similarity search (pgvector)."""
