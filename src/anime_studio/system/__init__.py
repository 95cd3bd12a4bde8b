"""System: engine status, checkpoints, GPU backends — what the studio is running on."""
