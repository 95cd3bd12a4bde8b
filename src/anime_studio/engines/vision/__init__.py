"""Vision engines: review an image against a character (and score a shot's frame)."""
