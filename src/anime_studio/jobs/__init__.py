"""Runs: every long operation, executed by Procrastinate workers, with live progress and crash recovery."""
