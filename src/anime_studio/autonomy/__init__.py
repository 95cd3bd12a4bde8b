"""Autonomy: the replenishment loop that fills a character's dataset to its target, guarded in the database."""
