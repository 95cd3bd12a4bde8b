"""Scene generation: keyframes, per-shot progressive quality gates, continuity chain, assembly with audio."""
