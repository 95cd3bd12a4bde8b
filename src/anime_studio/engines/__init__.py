"""Engines: one folder per kind (protocol in ``base.py``, one file per implementation); wired in ``registry.py``."""
