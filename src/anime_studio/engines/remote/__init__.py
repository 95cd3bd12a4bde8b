"""Clients for remote engine servers (Ollama, OpenAI-compatible) shared by several engine kinds."""
