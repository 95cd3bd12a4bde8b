"""LoRA training: runs from approved datasets, epochs with samples and scores, versions and promotion."""
