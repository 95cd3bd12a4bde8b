"""Project memory: every project fact embedded and searchable by meaning, kept current as the project changes."""
