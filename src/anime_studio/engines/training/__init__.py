"""LoRA training engines: a ComfyUI backend of the render pool, or a local trainer on a worker's GPU."""
