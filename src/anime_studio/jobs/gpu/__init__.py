"""GPU scheduling: one durable Procrastinate queue per ComfyUI backend, worked one prompt at a time."""
