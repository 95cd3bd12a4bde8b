"""Datasets: each character's images on disk (captions, provenance, approval state) and reference images."""
